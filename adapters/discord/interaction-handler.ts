import { MessageFlags, type Interaction, type RepliableInteraction } from 'discord.js';
import {
  decideOnCard,
  cardCall,
  mayActOn,
  type ApprovalFlowDeps,
  type ApprovalSurface,
  type ClickSite,
} from '../shared/approval-flow.js';
import { ApprovalCards } from '../shared/approval-decisions.js';
import { runThreadCommand } from '../shared/thread-command-runner.js';
import { parseCustomId, FEEDBACK_MODAL_PREFIX } from './custom-ids.js';
import { discordRefusal } from './discord-access.js';
import { PLATFORM, type DiscordContext } from './discord-context.js';
import { approvalMessage, DISCORD_STYLE, feedbackModal, NO_MENTIONS } from './discord-views.js';
import { cancelJobFromCard } from './job-cancel.js';
import { slashToCommand } from './slash-commands.js';

/**
 * Buttons, the feedback modal and `/intern`. Clicks are acknowledged at once (a deferred update,
 * well inside Discord's 3 seconds), then checked and enqueued; refusals are ephemeral. In a DM the
 * clicker must pass the same access rule as a DM message (they may have left the server since).
 */
export async function handleInteraction(ctx: DiscordContext, interaction: Interaction): Promise<void> {
  if (interaction.isButton()) {
    const action = parseCustomId(interaction.customId);
    if (!action) return;
    const site = siteOf(interaction.user.id, interaction.channelId, interaction.message.id);
    if (action.verb === 'feedback') {
      // A modal must be the first answer to the click, so this one is not deferred.
      if (await refusedInDm(ctx, interaction)) return;
      const call = await cardCall(ctx.gateway, PLATFORM, action.sessionId, site.cardId, action.toolCallId);
      if (
        !call ||
        !(await mayActOn(
          flowDeps(ctx),
          surface(ctx, interaction, action.sessionId, site),
          action.sessionId,
          site,
        ))
      )
        return;
      await interaction.showModal(feedbackModal(action.sessionId, call));
      return;
    }
    await interaction.deferUpdate();
    if (await refusedInDm(ctx, interaction)) return;
    const surf = surface(ctx, interaction, action.sessionId, site);
    if (action.verb === 'stop') {
      if (await mayActOn(flowDeps(ctx), surf, action.sessionId, site)) {
        await ctx.gateway.submit(action.sessionId, { type: 'interrupt' }, site.user);
      }
      return;
    }
    if (action.verb === 'cancel_job') {
      await cancelJobFromCard(ctx, (text) => surf.tell(text), site, action);
      return;
    }
    const toolCallIds =
      'toolCallId' in action
        ? [action.toolCallId]
        : ((await openCalls(ctx, action.sessionId, site.cardId)) ?? []);
    await decideOnCard(flowDeps(ctx), surf, site, {
      sessionId: action.sessionId,
      toolCallIds,
      approved: action.verb !== 'reject',
    });
    return;
  }
  if (interaction.isModalSubmit() && interaction.customId.startsWith(FEEDBACK_MODAL_PREFIX)) {
    const [sessionId, toolCallId] = interaction.customId.slice(FEEDBACK_MODAL_PREFIX.length).split(':');
    const cardId = interaction.message?.id;
    if (!sessionId || !toolCallId || !cardId || !interaction.channelId) return;
    await interaction.deferUpdate();
    if (await refusedInDm(ctx, interaction)) return;
    const feedback = interaction.fields.getTextInputValue('feedback').trim();
    const site = siteOf(interaction.user.id, interaction.channelId, cardId);
    await decideOnCard(flowDeps(ctx), surface(ctx, interaction, sessionId, site), site, {
      sessionId,
      toolCallIds: [toolCallId],
      approved: false,
      ...(feedback ? { feedback } : {}),
    });
    return;
  }
  if (interaction.isChatInputCommand() && interaction.commandName === 'intern') {
    const command = slashToCommand(interaction.options.getSubcommand(), (name) =>
      interaction.options.getString(name),
    );
    if (!command) return;
    if (await refusedInDm(ctx, interaction)) return;
    const sessionId = await ctx.gateway.threadSession({
      platform: PLATFORM,
      channel: interaction.channelId,
      thread: interaction.channelId,
    });
    await runThreadCommand(
      {
        gateway: ctx.gateway,
        approvers: ctx.approvers,
        follow: (id) => ctx.follow(id),
        bold: DISCORD_STYLE.bold,
      },
      command,
      interaction.user.id,
      sessionId,
      {
        say: async (content) => {
          await interaction.reply({ content, allowedMentions: NO_MENTIONS });
        },
        tell: (content) => tellPrivately(interaction, content),
      },
    );
  }
}

/** A DM interaction from someone the access rule refuses: told privately, logged, true. */
async function refusedInDm(ctx: DiscordContext, interaction: RepliableInteraction): Promise<boolean> {
  if (interaction.guildId !== null) return false;
  const user = interaction.user.id;
  const refusal = await discordRefusal(ctx, {
    user,
    channel: interaction.channelId ?? '',
    isDm: true,
    guild: undefined,
    roles: [],
  });
  if (!refusal) return false;
  ctx.logger.info(
    { user, reason: refusal.reason, isDm: true, interaction: interaction.type },
    'discord user refused',
  );
  await tellPrivately(interaction, refusal.reply);
  return true;
}

/** An ephemeral note: the reply, or a follow-up once the interaction was answered. */
async function tellPrivately(interaction: RepliableInteraction, content: string): Promise<void> {
  const note = { content, flags: MessageFlags.Ephemeral as const, allowedMentions: NO_MENTIONS };
  if (interaction.deferred || interaction.replied) await interaction.followUp(note);
  else await interaction.reply(note);
}

function siteOf(user: string, channel: string, cardId: string): ClickSite {
  return { platform: PLATFORM, user, channel, thread: channel, cardId };
}

async function openCalls(
  ctx: DiscordContext,
  sessionId: string,
  cardId: string,
): Promise<string[] | undefined> {
  const card = await new ApprovalCards(ctx.gateway.adapterState(PLATFORM)).load(sessionId, cardId);
  return card?.calls
    .filter((c) => !card.decisions.some((d) => d.toolCallId === c.toolCallId))
    .map((c) => c.toolCallId);
}

function flowDeps(ctx: DiscordContext): ApprovalFlowDeps {
  return { ...ctx, platform: PLATFORM, mention: DISCORD_STYLE.mention };
}

/** Ephemeral notes to the clicker, and the approval message edited in place. */
function surface(
  ctx: DiscordContext,
  interaction: RepliableInteraction,
  sessionId: string,
  site: ClickSite,
): ApprovalSurface {
  return {
    tell: (content) => tellPrivately(interaction, content),
    redraw: async (calls, decisions) => {
      const channel = await ctx.client.channels.fetch(site.channel);
      if (channel?.isSendable()) {
        await channel.messages.edit(site.cardId, {
          ...approvalMessage(sessionId, calls, decisions),
          allowedMentions: NO_MENTIONS,
        });
      }
    },
  };
}
