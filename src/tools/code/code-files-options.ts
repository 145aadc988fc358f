/** What the file tools need: the folder under which each session gets `<workspaceRoot>/<sessionId>`. */
export interface FileToolOptions {
  /** Resolved to an absolute path; default `.data/workspaces` (relative to the working directory). */
  workspaceRoot?: string;
}
