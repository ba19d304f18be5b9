import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Command } from 'commander';
import { paxfleetProgram } from './program.ts';

const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');

/** The program and every command under it. */
function commands(command: Command): Command[] {
  return [command, ...command.commands.filter((sub) => sub.name() !== 'help').flatMap(commands)];
}

describe('the paxfleet program', () => {
  it('the README shows the help of the command and of each subcommand as the program prints it', () => {
    const all = commands(paxfleetProgram());
    assert.ok(all.length >= 13, `${all.length} commands`);
    for (const command of all) {
      // At 80 columns, as the help prints where stdout is not a terminal.
      const help = command.helpInformation().trimEnd();
      assert.ok(
        readme.includes(`\`\`\`\n${help}\n\`\`\``),
        `README.md lacks the help of "${command.name()}" as it is now:\n${help}`,
      );
    }
  });

  it('every command documents its exit codes', () => {
    const program = paxfleetProgram();
    let text = '';
    program.configureOutput({ writeOut: (chunk) => (text += chunk) });
    for (const command of commands(program)) {
      text = '';
      command.configureOutput({ writeOut: (chunk) => (text += chunk) });
      command.outputHelp();
      assert.match(text, /Exit codes:\n {2}0 {4}done\n/, command.name());
    }
  });
});
