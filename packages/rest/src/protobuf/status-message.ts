/*
 * metav1.Status in protobuf (k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto), decoded by
 * hand so Status errors and `kind: Status` answers over protobuf need no codec:
 *
 *   Status        { ListMeta metadata = 1; string status = 2; string message = 3; string reason = 4; StatusDetails details = 5; int32 code = 6; }
 *   ListMeta      { string selfLink = 1; string resourceVersion = 2; string continue = 3; int64 remainingItemCount = 4; … }
 *   StatusDetails { string name = 1; string group = 2; string kind = 3; repeated StatusCause causes = 4; int32 retryAfterSeconds = 5; string uid = 6; }
 *   StatusCause   { string reason = 1; string message = 2; string field = 3; }
 *
 * The object has the fields the JSON answer has: Go writes every non-pointer field on the wire
 * (empty strings included) but JSON leaves `omitempty` fields out, so empty strings and zero
 * numbers are left out here too.
 */
import type { Status, StatusCause, StatusDetails } from '../meta/status.ts';
import { type FieldTag, ProtobufReader, WireType } from './wire-reader.ts';
import { ProtobufWriter } from './wire-writer.ts';

/** The ListMeta fields a Status or a list carries (metav1.ListMeta). */
export interface ListMetaFields {
  selfLink?: string;
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

/** Decodes a metav1.Status message (the envelope's raw bytes) into the JSON form's object, `kind` and `apiVersion` set. */
export function decodeStatusMessage(raw: Uint8Array, apiVersion = 'v1'): Status {
  const fields = decodeMessage<Status>(raw, 'metav1.Status', { 2: 'status', 3: 'message', 4: 'reason' }, (reader, { field, wireType }, status) => {
    if (field === 1 && wireType === WireType.LengthDelimited) status.metadata = decodeListMeta(reader.bytes());
    else if (field === 5 && wireType === WireType.LengthDelimited) status.details = decodeStatusDetails(reader.bytes());
    else if (field === 6 && wireType === WireType.Varint) setNonZero(status, 'code', reader.int32());
    else return false;
    return true;
  });
  return { kind: 'Status', apiVersion, metadata: {}, ...fields };
}

/** Decodes a metav1.ListMeta message (a list's or a Status's `metadata`). */
export function decodeListMeta(raw: Uint8Array): ListMetaFields {
  return decodeMessage<ListMetaFields>(raw, 'metav1.ListMeta', { 1: 'selfLink', 2: 'resourceVersion', 3: 'continue' }, (reader, { field, wireType }, meta) => {
    if (field !== 4 || wireType !== WireType.Varint) return false;
    meta.remainingItemCount = reader.int64Number();
    return true;
  });
}

function decodeStatusDetails(raw: Uint8Array): StatusDetails {
  return decodeMessage<StatusDetails>(raw, 'metav1.StatusDetails', { 1: 'name', 2: 'group', 3: 'kind', 6: 'uid' }, (reader, { field, wireType }, details) => {
    if (field === 4 && wireType === WireType.LengthDelimited) (details.causes ??= []).push(decodeStatusCause(reader.bytes()));
    else if (field === 5 && wireType === WireType.Varint) setNonZero(details, 'retryAfterSeconds', reader.int32());
    else return false;
    return true;
  });
}

function decodeStatusCause(raw: Uint8Array): StatusCause {
  return decodeMessage<StatusCause>(raw, 'metav1.StatusCause', { 1: 'reason', 2: 'message', 3: 'field' });
}

/**
 * Reads one message: the string fields named in `strings` (field number → key; empty strings
 * left out, as JSON's omitempty does), anything else through `other` (which returns false for a
 * field it does not take), and skips the rest.
 */
function decodeMessage<T extends object>(
  raw: Uint8Array,
  what: string,
  strings: Readonly<Record<number, string>>,
  other: (reader: ProtobufReader, tag: FieldTag, out: T) => boolean = () => false,
): T {
  const reader = new ProtobufReader(raw, what);
  const out = {} as T;
  while (!reader.done) {
    const tag = reader.tag();
    const key = strings[tag.field];
    if (key !== undefined && tag.wireType === WireType.LengthDelimited) {
      const value = reader.string();
      if (value) (out as Record<string, unknown>)[key] = value;
    } else if (!other(reader, tag, out)) {
      reader.skip(tag.wireType);
    }
  }
  return out;
}

/** Sets a number field unless it is 0 (JSON's omitempty). */
function setNonZero<T extends object>(target: T, key: keyof T & string, value: number): void {
  if (value !== 0) (target as Record<string, unknown>)[key] = value;
}

/**
 * Encodes a Status as a metav1.Status message (without the envelope): for servers and tests
 * that answer in protobuf. Fields left out of `status` are left out of the message.
 */
export function encodeStatusMessage(status: Status): Uint8Array {
  const writer = new ProtobufWriter();
  const meta = status.metadata;
  if (meta) {
    writer.message(1, (w) => {
      if (meta.resourceVersion) w.string(2, meta.resourceVersion);
      if (meta.continue) w.string(3, meta.continue);
    });
  }
  if (status.status) writer.string(2, status.status);
  if (status.message) writer.string(3, status.message);
  if (status.reason) writer.string(4, status.reason);
  const details = status.details;
  if (details) {
    writer.message(5, (w) => {
      if (details.name) w.string(1, details.name);
      if (details.group) w.string(2, details.group);
      if (details.kind) w.string(3, details.kind);
      for (const cause of details.causes ?? []) {
        w.message(4, (c) => {
          if (cause.reason) c.string(1, cause.reason);
          if (cause.message) c.string(2, cause.message);
          if (cause.field) c.string(3, cause.field);
        });
      }
      if (details.retryAfterSeconds) w.varint(5, details.retryAfterSeconds);
      if (details.uid) w.string(6, details.uid);
    });
  }
  if (status.code) writer.varint(6, status.code);
  return writer.finish();
}
