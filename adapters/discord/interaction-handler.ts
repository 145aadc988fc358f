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
import { PLATFORM, type DiscordContext } from './discord-context.js';
import { approvalMessage, DISCORD_STYLE, feedbackModal, NO_MENTIONS } from './discord-views.js';
import { slashToCommand } from './slash-commands.js';

/**
 * Buttons, the feedback modal and `/intern`. Clicks are acknowledged at once (a deferred update,
 * well inside Discord's 3 seconds), then checked and enqueued; refusals are ephemeral.
 */
export async function handleInteraction(ctx: DiscordContext, interaction: Interaction): Promise<void> {
  if (interaction.isButton()) {
    const action = parseCustomId(interaction.customId);
    if (!action) return;
    const site = siteOf(interaction.user.id, interaction.channelId, interaction.message.id);
    if (action.verb === 'feedback') {
      // A modal must be the first answer to the click, so this one is not deferred.
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
    const surf = surface(ctx, interaction, action.sessionId, site);
    if (action.verb === 'stop') {
      if (await mayActOn(flowDeps(ctx), surf, action.sessionId, site)) {
        await ctx.gateway.submit(action.sessionId, { type: 'interrupt' }, site.user);
      }
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
        tell: async (content) => {
          await interaction.reply({ content, flags: MessageFlags.Ephemeral });
        },
      },
    );
  }
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
    tell: async (content) => {
      const note = { content, flags: MessageFlags.Ephemeral as const };
      if (interaction.deferred || interaction.replied) await interaction.followUp(note);
      else await interaction.reply(note);
    },
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
