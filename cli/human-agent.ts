/**
 * A person at the terminal as an Agent: each decision reads one line of standard input (`quit`,
 * `exit` or the end of input stops the episode through the abort controller). Scripts drive it
 * by piping actions, one per line.
 * @module
 */
import { createInterface, type Interface } from 'node:readline';
import type { Agent, AgentInput, Decision } from '../agents/agent.js';

/** Lines of a stream, one at a time; null at the end. */
export class LineSource {
  private readonly lines: Interface;
  private readonly iterator: AsyncIterator<string>;

  constructor(input: NodeJS.ReadableStream) {
    this.lines = createInterface({ input, terminal: false, crlfDelay: Infinity });
    this.iterator = this.lines[Symbol.asyncIterator]();
  }

  async next(): Promise<string | null> {
    const r = await this.iterator.next();
    return r.done ? null : (r.value as string);
  }

  close(): void {
    this.lines.close();
  }
}

export class HumanAgent implements Agent {
  readonly name = 'human';

  constructor(
    private readonly lines: LineSource,
    private readonly stop: AbortController,
    /** Shows the observation before each decision. */
    private readonly show: (input: AgentInput) => void = () => undefined,
  ) {}

  async act(inputs: readonly AgentInput[]): Promise<Decision[]> {
    const out: Decision[] = [];
    for (const input of inputs) {
      this.show(input);
      const line = this.stop.signal.aborted ? null : await this.lines.next();
      const action = line?.trim() ?? '';
      if (line === null || action === 'quit' || action === 'exit') this.stop.abort();
      out.push({ action, logp: null, probs: null });
    }
    return out;
  }
}
