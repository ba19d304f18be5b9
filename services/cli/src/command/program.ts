import { Command, InvalidArgumentError, Option } from 'commander';
import { agentsCommand } from './agents.ts';
import { claimsCommand } from './claims.ts';
import {
  deadLettersListCommand,
  deadLettersRedriveCommand,
  deadLettersShowCommand,
} from './dead-letters.ts';
import { CommandContext, type GlobalOptions } from './context.ts';
import { EXIT } from '../errors.ts';
import { lagCommand } from './lag.ts';
import { FORMATS, parseFormat } from './output.ts';
import { replayCommand } from './replay.ts';
import { submitCommand } from './submit.ts';
import { parseDuration, tailCommand } from './tail.ts';
import { timelineCommand } from './timeline.ts';
import { workflowCommand } from './workflow.ts';

const EXIT_CODES = `
Exit codes:
  0    done
  1    what was asked for failed or is not there (a replay that differs)
  2    the command line or the configuration is wrong
  3    the broker or the coordinator cannot be reached
  4    a wait ran out of time
  130  interrupted (Ctrl-C)`;

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 1)
    throw new InvalidArgumentError('a whole number, at least 1');
  return number;
}

function port(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 1 || number > 65_535)
    throw new InvalidArgumentError('a port, 1 to 65535');
  return number;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The paxfleet command: every subcommand, its flags and its help. */
export function paxfleetProgram(): Command {
  const program = new Command('paxfleet')
    .description(
      'Operate a paxfleet fleet: submit work, watch agents, claims and lag, read a workflow, tail topics decoded, re-drive dead letters.',
    )
    .addOption(
      new Option('-o, --output <format>', `output format: ${FORMATS.join(', ')}`)
        .choices(FORMATS)
        .default('table'),
    )
    .addOption(new Option('--brokers <host:port,...>', 'the Kafka cluster').env('KAFKA_BROKERS'))
    .addOption(
      new Option('--namespace <name>', 'the Kafka namespace the fleet runs in').env(
        'KAFKA_NAMESPACE',
      ),
    )
    .addOption(
      new Option('--coordinator <url>', "the coordinator's API")
        .env('PAXFLEET_COORDINATOR_URL')
        .default('http://127.0.0.1:7070'),
    )
    .addOption(
      new Option('--token <token>', "the coordinator's bearer token (one of its API_TOKENS)").env(
        'PAXFLEET_API_TOKEN',
      ),
    )
    .showHelpAfterError('(paxfleet --help shows the commands)')
    .addHelpText('after', EXIT_CODES)
    .exitOverride();
  const context = () => {
    const options = program.opts<GlobalOptions & { output: string }>();
    return new CommandContext({ ...options, output: parseFormat(options.output) });
  };

  program
    .command('submit')
    .description("submit a task through the coordinator's API")
    .argument('<topic>', 'the research topic, a slug such as kafka-for-agents')
    .option('--brief <text>', 'what the research should cover')
    .option('--type <type>', 'the task type (the coordinator routes it)', 'research')
    .option('--requested-by <who>', 'who asks, recorded on the task', 'paxfleet-cli')
    .option('--wait', 'follow the workflow live until every agent has done its part, then show it')
    .option('--timeout <duration>', 'how long --wait waits, e.g. 90s, 5m', '5m')
    .action(
      (
        topic: string,
        flags: {
          brief?: string;
          type: string;
          requestedBy: string;
          wait?: boolean;
          timeout: string;
        },
      ) =>
        submitCommand(context(), topic, {
          type: flags.type,
          requestedBy: flags.requestedBy,
          wait: flags.wait === true,
          timeoutMs: parseDuration('--timeout', flags.timeout),
          ...(flags.brief !== undefined && { brief: flags.brief }),
        }),
    );

  program
    .command('workflow')
    .description('where one workflow stands: research, claims, results, SEO, audit')
    .argument('<workflow-id>', 'e.g. workflow_7k2p9x0q')
    .action((id: string) => workflowCommand(context(), id));

  program
    .command('agents')
    .description('every agent instance: state, work in flight, its group’s lag')
    .option('-w, --watch', 'redraw as it changes, until Ctrl-C')
    .action((flags: { watch?: boolean }) =>
      agentsCommand(context(), { watch: flags.watch === true }),
    );

  program
    .command('claims')
    .description("every work key's current claim, or one key's decisions")
    .argument('[work-key]', 'e.g. content:kafka-for-agents')
    .action((workKey?: string) => claimsCommand(context(), workKey));

  program
    .command('lag')
    .description('lag in records and seconds per consumer group and partition')
    .option('--group <group>', 'one consumer group')
    .action((flags: { group?: string }) => lagCommand(context(), flags.group));

  program
    .command('timeline')
    .description(
      'one workflow’s records from the archive and every topic, in time order, and its cost',
    )
    .argument('<workflow-id>', 'e.g. workflow_7k2p9x0q')
    .action((id: string) => timelineCommand(context(), id));

  program
    .command('replay')
    .description(
      're-run one workflow in a shadow namespace with its recorded model outputs and show what differs',
    )
    .argument('<workflow-id>', 'e.g. workflow_7k2p9x0q')
    .option('--live', 'call the model instead of the recordings')
    .option(
      '--set <agent.VARIABLE=value>',
      'a setting for one agent of the replay (repeatable)',
      collect,
      [],
    )
    .option('--port <port>', 'where the shadow coordinator listens', port, 27070)
    .action((id: string, flags: { live?: boolean; set: string[]; port: number }) =>
      replayCommand(context(), id, { live: flags.live === true, set: flags.set, port: flags.port }),
    );

  program
    .command('tail')
    .description('records of a topic decoded (JSON lines with -o json), new ones as they come')
    .argument('<topic>', 'a topic of the catalog, e.g. research-events')
    .option('--from-beginning', 'from the first record kept')
    .option('--since <duration>', 'from records written this long ago, e.g. 10m')
    .option('--key <key>', 'only records with this key')
    .option('--workflow <workflow-id>', 'only records of this workflow')
    .option('--header <name=value>', 'only records with this header (repeatable)', collect, [])
    .option('-n, --num <count>', 'stop after this many records', positiveInteger)
    .option('-e, --exit-at-end', 'stop at the end of the log instead of following it')
    .action(
      (
        topic: string,
        flags: {
          fromBeginning?: boolean;
          since?: string;
          key?: string;
          workflow?: string;
          header: string[];
          num?: number;
          exitAtEnd?: boolean;
        },
      ) =>
        tailCommand(context(), topic, {
          fromBeginning: flags.fromBeginning === true,
          exitAtEnd: flags.exitAtEnd === true,
          header: flags.header,
          ...(flags.since !== undefined && { since: flags.since }),
          ...(flags.key !== undefined && { key: flags.key }),
          ...(flags.workflow !== undefined && { workflow: flags.workflow }),
          ...(flags.num !== undefined && { num: flags.num }),
        }),
    );

  const deadLetters = program
    .command('dead-letters')
    .description(
      'records that could not be handled: list, show, and re-drive once the cause is fixed',
    );
  deadLetters
    .command('list', { isDefault: true })
    .description('the dead letters, oldest first, and whether each was re-driven')
    .option('--since <duration>', 'only letters of the last e.g. 24h')
    .option('--source-topic <topic>', 'only letters from this topic')
    .option('--error-code <code>', 'only letters with this error code')
    .option('--limit <count>', 'only the newest this many', positiveInteger)
    .action((flags: { since?: string; sourceTopic?: string; errorCode?: string; limit?: number }) =>
      deadLettersListCommand(context(), flags),
    );
  deadLetters
    .command('show')
    .description('one dead letter whole: headers, key, the value decoded where it decodes')
    .argument('<id>', 'a dead letter id, <partition>:<offset> as list shows it')
    .action((id: string) => deadLettersShowCommand(context(), id));
  deadLetters
    .command('redrive')
    .description(
      'publish each letter’s record to its source topic again, once (a letter re-driven before is not)',
    )
    .argument('<id...>', 'dead letter ids, <partition>:<offset>')
    .option('--by <who>', 'who re-drives, recorded with the redrive (default paxfleet-cli:<user>)')
    .action((ids: string[], flags: { by?: string }) =>
      deadLettersRedriveCommand(context(), ids, flags),
    );

  for (const command of [...program.commands, ...deadLetters.commands]) {
    command.addHelpText('after', EXIT_CODES).showHelpAfterError().exitOverride();
  }
  return program;
}

export { EXIT };
