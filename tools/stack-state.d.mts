// Types of tools/stack-state.mjs, for the TypeScript tests that import it (e2e/src/stage-tool.spec.ts).
import type { Static, TObject } from '@sinclair/typebox';

export const DEFAULT_NAMESPACE: string;
export const DEFAULT_AMQP_URL: string;
export interface StackKey {
  port: number;
  namespace: string;
}
export function stackKey(env: Record<string, string | undefined>): StackKey;
export function describeKey(key: StackKey): string;
export function selectingSettings(key: StackKey): string;
export function stateDir(tmp: string): string;
export function stateFile(tmp: string, key: StackKey): string;
export const StackStatus: TObject;
export const ActionReply: TObject;
export const EXIT: { done: 0; failed: 1; usage: 2; unchanged: 3 };
export function checked<S extends TObject>(schema: S, value: unknown, what: string): Static<S>;
export function isAlive(pid: number): boolean;
export type Judged =
  | { kind: 'none' }
  | { kind: 'unreadable'; problem: string }
  | { kind: 'stale'; pid: number }
  | { kind: 'live'; record: StackKey & { supervisor: number; control: string; token: string; services: { name: string; port: number; pid: number | null; shadow: boolean; messages: string | null }[] } };
export function judgeRecord(text: string | undefined, alive?: (pid: number) => boolean): Judged;
export function readRecord(file: string): Judged;
export class UsageError extends Error {}
export interface StageCommand {
  compose: boolean;
  verb: 'status' | 'start' | 'stop' | 'restart' | 'shadow' | 'clean';
  service: string | undefined;
  shadow: boolean | undefined;
  settings: Record<string, string>;
}
export const STAGE_SETTINGS: Record<string, string[]>;
export function readsSetting(root: string, service: string, setting: string): boolean;
export function settingProblem(root: string, service: string, name: string, value: string): string | null;
export function spellSettings(settings: Record<string, string>): string;
export function parseStageArgs(argv: string[], services: string[]): StageCommand;
export function composeVariable(service: string, setting: string): string;
export function composeCommands(command: Pick<StageCommand, 'verb' | 'service'> & { settings?: Record<string, string> }, wait?: boolean): { args: string[]; env: Record<string, string> }[];
export function runningComposeServices(output: string): string[];
export function redactUrl(url: string): string;
