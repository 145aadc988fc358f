import {
  REST,
  Routes,
  SlashCommandBuilder,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { ThreadCommand } from '../shared/thread-commands.js';

/** `/intern stop|undo|compact|new|status|model <id>|yolo on|off`, used inside a session thread. */
export function internCommand(): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const builder = new SlashCommandBuilder()
    .setName('intern')
    .setDescription('Control the ML intern in this thread');
  for (const [name, description] of [
    ['stop', 'Stop what the intern is doing'],
    ['undo', 'Undo the last message and everything after it'],
    ['compact', 'Summarise the conversation to free context'],
    ['new', 'Start a fresh session in this thread'],
    ['status', 'Model, tokens and cost of this session'],
  ] as const) {
    builder.addSubcommand((sub) => sub.setName(name).setDescription(description));
  }
  builder.addSubcommand((sub) =>
    sub
      .setName('model')
      .setDescription('Switch the model (owner or approvers)')
      .addStringOption((o) => o.setName('id').setDescription('anthropic/<model-id>').setRequired(true)),
  );
  builder.addSubcommand((sub) =>
    sub
      .setName('yolo')
      .setDescription('Run tool calls without asking (owner or approvers)')
      .addStringOption((o) =>
        o
          .setName('mode')
          .setDescription('on or off')
          .setRequired(true)
          .addChoices({ name: 'on', value: 'on' }, { name: 'off', value: 'off' }),
      ),
  );
  return builder.toJSON();
}

/** The shared command for a slash invocation (subcommand + options). */
export function slashToCommand(
  subcommand: string,
  option: (name: string) => string | null,
): ThreadCommand | undefined {
  switch (subcommand) {
    case 'stop':
    case 'undo':
    case 'compact':
    case 'new':
    case 'status':
      return { kind: subcommand };
    case 'model': {
      const model = option('id');
      return model ? { kind: 'model', model } : undefined;
    }
    case 'yolo': {
      const mode = option('mode');
      return mode === 'on' || mode === 'off' ? { kind: 'yolo', on: mode === 'on' } : undefined;
    }
    default:
      return undefined;
  }
}

/** Registers `/intern` in one guild (instant) or globally (Discord may take up to an hour). */
export async function registerCommands(options: {
  token: string;
  apiUrl?: string;
  guildId?: string;
}): Promise<string> {
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
  const app = (await rest.get(Routes.currentApplication())) as { id: string };
  const route = options.guildId
    ? Routes.applicationGuildCommands(app.id, options.guildId)
    : Routes.applicationCommands(app.id);
  await rest.put(route, { body: [internCommand()] });
  return options.guildId ? `guild ${options.guildId}` : 'all guilds (global)';
}
