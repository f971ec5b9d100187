/**
 * The built file of the page agent, for `scripting.executeScript({ files })`.
 * `?script` makes the build emit it as a standalone script and gives its path;
 * it is injected on demand only, never declared for any page.
 */
import agentFile from '../content/undo-agent.iife.ts?script';

export const UNDO_AGENT_FILE: string = agentFile;
