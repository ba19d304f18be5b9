#!/usr/bin/env node
// paxfleet: the operator's command (paxfleet --help). Thin: the program is in ../command.
import { CommanderError } from 'commander';
import { describeFailure, EXIT } from '../errors.ts';
import { paxfleetProgram } from '../command/program.ts';

process.on('SIGINT', () => process.exit(EXIT.interrupted));
const program = paxfleetProgram();
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has printed the help or the usage error already.
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    const { line, exitCode } = describeFailure(error, program.opts<{ brokers?: string }>().brokers);
    console.error(`paxfleet: ${line}`);
    process.exitCode = exitCode;
  }
}
