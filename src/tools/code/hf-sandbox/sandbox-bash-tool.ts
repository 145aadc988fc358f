import path from 'node:path/posix';
import { defineTool, type AnyToolSpec } from '../../../core/tool-spec.js';
import type { ToolServices } from '../../tool-services.js';
import { bashParameters, OUTPUTS_DIR, parseTimeoutSeconds } from '../bash-tool.js';
import { commandEnding, HeadTail, LogBatcher } from '../output-capture.js';
import { OutputUpload } from './output-upload.js';
import { runStreaming } from './sandbox-exec.js';
import { sandboxPath } from './sandbox-file-store.js';
import { SANDBOX_WORKSPACE, type SandboxManager } from './sandbox-manager.js';

/**
 * `bash` of code.runtime `hf-sandbox`: the command runs in the session's HF sandbox (`/bin/sh -c`,
 * as the sandbox server runs a string command), its output streamed to the thread, its head and tail
 * returned, and all of it saved in the sandbox, as the local runtime does.
 */
export function sandboxBashTool(
  manager: SandboxManager,
  services: Pick<ToolServices, 'logger'>,
): AnyToolSpec {
  return defineTool({
    name: 'bash',
    description:
      "Run a shell command (/bin/sh -c; use bash -c '…' for bash syntax) in your own Hugging Face sandbox: " +
      `a cloud machine for this session (created on first use), working folder ${SANDBOX_WORKSPACE}. ` +
      'pip install works; files persist across calls until the sandbox stops (after a while unused, or when the session ends). ' +
      'It holds no token of yours. stdout and stderr are returned together with the exit code; long output keeps its ' +
      'head and tail, and the whole output is saved to a file in the sandbox the result names.',
    parameters: bashParameters,
    sideEffects: true,
    // The sandbox is a machine of its own, away from the worker: nothing here needs a human.
    needsApproval: () => undefined,
    async execute(args, ctx) {
      const timeoutS = parseTimeoutSeconds(args.timeout);
      const cwd = sandboxPath(args.work_dir ?? '.', SANDBOX_WORKSPACE);
      const { client, record } = await manager.ensure(ctx, undefined, timeoutS * 1_000);
      const savedAt = path.join(
        SANDBOX_WORKSPACE,
        OUTPUTS_DIR,
        `${ctx.toolCallId.replace(/[^A-Za-z0-9._-]/g, '_')}.log`,
      );
      await client.mkdir(cwd, ctx.signal);
      const captured = new HeadTail();
      const batcher = new LogBatcher((line) => ctx.log(line));
      const upload = new OutputUpload(client, savedAt, AbortSignal.timeout(timeoutS * 1_000 + 120_000));
      const outcome = await runStreaming(
        client,
        { cmd: args.command, shell: true, cwd, timeout: timeoutS },
        ctx.signal,
        {
          onOutput: (chunk) => {
            captured.push(chunk);
            batcher.push(chunk);
            upload.push(chunk);
          },
          onMalformed: (line) =>
            services.logger.warn(
              { sessionId: ctx.sessionId, jobId: record.jobId, line: line.slice(0, 80) },
              'sandbox sent a malformed NDJSON line',
            ),
        },
      );
      await Promise.all([batcher.done(), upload.done()]);
      await manager.touch(ctx, record).catch(() => undefined);

      const body = captured.total === 0 ? '(no output)' : captured.text(savedAt);
      const notes: string[] = [];
      if (outcome.malformed > 0) {
        notes.push(
          `(${outcome.malformed} line(s) of the sandbox's output stream could not be read and were skipped.)`,
        );
      }
      if (upload.failed)
        notes.push(`(The output file ${savedAt} is incomplete: saving it in the sandbox failed.)`);
      let ending: string;
      if (outcome.lost) {
        services.logger.warn({ sessionId: ctx.sessionId, jobId: record.jobId }, 'sandbox exec stream cut');
        ending = `The connection to the sandbox was lost while the command ran, so its exit code is unknown; it was stopped${outcome.pid === undefined ? '' : ' (its processes killed)'}. The output above is what arrived. Run it again, or check with another command.`;
      } else {
        ending = commandEnding(outcome, timeoutS);
      }
      const failed = outcome.lost || outcome.timedOut || outcome.interrupted || outcome.exitCode !== 0;
      return {
        output: [body, ...notes, `${ending} Whole output: ${savedAt}`].join('\n\n'),
        ...(failed ? { isError: true } : {}),
      };
    },
  });
}
