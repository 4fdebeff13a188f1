// Type-checked (tsc -p test), never run: the generated contract of the test server's /kinds and /chat channels
// (written by TypeScriptClientTests with gateway-contracts) types every call; each @ts-expect-error must be an error.
import { connect } from '../index.js';
import type { KindsContract } from './generated/kinds.js';
import type { ChatContract } from './generated/chat.js';

export async function kinds(): Promise<void> {
  const client = connect<KindsContract>('ws://localhost/kinds');
  const text: string = await client.request('taskOfT', 'hi');
  const doubled: number = await client.request('valueTaskOfT', 2.5);
  const record = await client.request('record', { nick: 'n', text: 't' });
  const upper: string = record.text;
  const count: number = await client.request('count');
  for await (const item of client.stream('stream', 3)) {
    const value: string | null = item;
    void value;
  }

  // @ts-expect-error: taskOfT takes a string
  await client.request('taskOfT', 5);
  // @ts-expect-error: no such event
  await client.request('nope', 1);
  // @ts-expect-error: the record has no such property
  void record.missing;
  // @ts-expect-error: stream is a stream, not a request
  await client.request('stream', 3);
  void [text, doubled, upper, count];
}

export function chat(): void {
  const client = connect<ChatContract>('ws://localhost/chat');
  client.on('message', message => {
    const room: string = message.room;
    void room;
  });
  client.on('user-joined', nick => {
    const who: string | null = nick;
    void who;
  });
  // @ts-expect-error: the server pushes no such event
  client.on('nope', () => {});
}

export async function wsResponses(): Promise<void> {
  const client = connect<KindsContract>('ws://localhost/kinds');
  // A WsResponse answers with its data.
  const popped: string = await client.request('wsResponse', 'x');
  const list: number[] = await client.request('taskWsResponse');
  void [popped, list];
}
