import { z } from 'zod';

/**
 * Operations: what users ask of a session. Queue data is untrusted, so every operation is parsed
 * with these schemas when it enters the mailbox and again when a worker takes it out.
 */

export const MAX_USER_TEXT_CHARS = 100_000;

const approvalDecision = z.object({
  toolCallId: z.string().min(1).max(200),
  approved: z.boolean(),
  feedback: z.string().max(10_000).optional(),
});
export type ApprovalDecision = z.infer<typeof approvalDecision>;

export const operationSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('user_input'), text: z.string().min(1).max(MAX_USER_TEXT_CHARS) }),
  z.object({
    type: z.literal('exec_approval'),
    decisions: z.array(approvalDecision).min(1).max(100),
  }),
  z.object({ type: z.literal('interrupt') }),
  z.object({ type: z.literal('compact') }),
  z.object({ type: z.literal('undo') }),
  z.object({ type: z.literal('new') }),
  z.object({ type: z.literal('shutdown') }),
  /** A watched HF job ended: the intern reads its logs and reports, without a user message. */
  z.object({
    type: z.literal('job_finished'),
    namespace: z.string().min(1).max(200),
    jobId: z.string().min(1).max(200),
    stage: z.string().min(1).max(50),
    flavor: z.string().max(100),
    elapsedSeconds: z.number().nonnegative().optional(),
    /** What it really cost (duration × price), when the price is known. */
    costUsd: z.number().nonnegative().optional(),
    logTail: z.array(z.string().max(2_000)).max(100),
  }),
  /** The Cancel button of a job card. */
  z.object({
    type: z.literal('cancel_job'),
    namespace: z.string().min(1).max(200),
    jobId: z.string().min(1).max(200),
  }),
]);
export type Operation = z.infer<typeof operationSchema>;
export type OperationType = Operation['type'];

/** An operation as it travels through the mailbox: who asked, when, and a unique id. */
export const operationEnvelopeSchema = z.object({
  id: z.string().min(1).max(100),
  sessionId: z.string().min(1).max(100),
  /** Milliseconds since the epoch when the operation was accepted. */
  at: z.number().int().nonnegative(),
  /** Platform user id of whoever sent it ("terminal" for the local chat). */
  userId: z.string().max(200).optional(),
  op: operationSchema,
});
export type OperationEnvelope = z.infer<typeof operationEnvelopeSchema>;
