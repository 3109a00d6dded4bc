/**
 * Replay fixtures: recorded case histories (test/fixtures/histories/*.json) that the current
 * workflow bundle must replay without a determinism error (test/workflows/replay.test.ts).
 * `npm run replay:record` (scripts/record-replay-histories.ts) makes them.
 *
 * Payloads in a history are encrypted by the payload codec, so fixtures are recorded and
 * replayed with one fixed, public key: it protects nothing, and the made-up cases in the fixtures
 * hold nothing to protect. No vitest import here: the record script uses this file too.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import proto from '@temporalio/proto';
import { caseDataConverter } from '../../src/temporal/dataConverter';
import { Keyring } from '../../src/temporal/keyring';
import { REPO_ROOT } from './paths';

export const REPLAY_FIXTURES_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'histories');

export const REPLAY_FIXTURE_KEYRING = new Keyring([
  { id: 'replay-fixtures-k1', key: createHash('sha256').update('fravaersforloeb replay fixtures key 1').digest() },
]);
export const REPLAY_DATA_CONVERTER: DataConverter = caseDataConverter(REPLAY_FIXTURE_KEYRING);

const { History: HistoryMessage } = proto.temporal.api.history.v1;
export type History = proto.temporal.api.history.v1.IHistory;

/**
 * A history as fixture text: protobufjs's object form (enums by name, 64-bit numbers and bytes as
 * strings). Not the SDK's historyToJSON/historyFromJSON: with this install's two protobufjs copies
 * (@temporalio/common's and @temporalio/proto's) those throw "type must be a Type".
 */
export function historyToFixtureJSON(history: History): string {
  const object = HistoryMessage.toObject(HistoryMessage.fromObject(history), { longs: String, enums: String, bytes: String });
  return `${JSON.stringify(object, null, 1)}\n`;
}

export function historyFromFixtureJSON(text: string): History {
  return HistoryMessage.fromObject(JSON.parse(text) as Record<string, unknown>);
}

export interface ReplayFixture {
  /** The file name without `.json`; also the workflow id the replay reports. */
  name: string;
  history: History;
}

/** Every fixture on disk, sorted by name. */
export function loadReplayFixtures(dir = REPLAY_FIXTURES_DIR): ReplayFixture[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ name: file.slice(0, -'.json'.length), history: historyFromFixtureJSON(readFileSync(path.join(dir, file), 'utf8')) }));
}
