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
import { ProtobufReader, WireType } from './wire-reader.ts';
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
  const reader = new ProtobufReader(raw, 'metav1.Status');
  const status: Status = { kind: 'Status', apiVersion, metadata: {} };
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    if (field === 6 && wireType === WireType.Varint) {
      const code = reader.int32();
      if (code !== 0) status.code = code;
    } else if (wireType !== WireType.LengthDelimited) {
      reader.skip(wireType);
    } else if (field === 1) {
      status.metadata = decodeListMeta(reader.bytes());
    } else if (field === 5) {
      status.details = decodeStatusDetails(reader.bytes());
    } else if (field >= 2 && field <= 4) {
      const value = reader.string();
      if (!value) continue;
      if (field === 2) status.status = value as Status['status'];
      else if (field === 3) status.message = value;
      else status.reason = value;
    } else {
      reader.skip(wireType);
    }
  }
  return status;
}

/** Decodes a metav1.ListMeta message (a list's or a Status's `metadata`). */
export function decodeListMeta(raw: Uint8Array): ListMetaFields {
  const reader = new ProtobufReader(raw, 'metav1.ListMeta');
  const meta: ListMetaFields = {};
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    if (field === 4 && wireType === WireType.Varint) {
      meta.remainingItemCount = reader.int64Number();
    } else if (wireType === WireType.LengthDelimited && field >= 1 && field <= 3) {
      const value = reader.string();
      if (!value) continue;
      if (field === 1) meta.selfLink = value;
      else if (field === 2) meta.resourceVersion = value;
      else meta.continue = value;
    } else {
      reader.skip(wireType);
    }
  }
  return meta;
}

function decodeStatusDetails(raw: Uint8Array): StatusDetails {
  const reader = new ProtobufReader(raw, 'metav1.StatusDetails');
  const details: StatusDetails = {};
  const names = ['', 'name', 'group', 'kind', '', '', 'uid'] as const;
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    if (field === 5 && wireType === WireType.Varint) {
      const seconds = reader.int32();
      if (seconds !== 0) details.retryAfterSeconds = seconds;
    } else if (field === 4 && wireType === WireType.LengthDelimited) {
      (details.causes ??= []).push(decodeStatusCause(reader.bytes()));
    } else if (wireType === WireType.LengthDelimited && (field === 1 || field === 2 || field === 3 || field === 6)) {
      const value = reader.string();
      if (value) details[names[field] as 'name' | 'group' | 'kind' | 'uid'] = value;
    } else {
      reader.skip(wireType);
    }
  }
  return details;
}

function decodeStatusCause(raw: Uint8Array): StatusCause {
  const reader = new ProtobufReader(raw, 'metav1.StatusCause');
  const cause: StatusCause = {};
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    if (wireType === WireType.LengthDelimited && field >= 1 && field <= 3) {
      const value = reader.string();
      if (!value) continue;
      if (field === 1) cause.reason = value;
      else if (field === 2) cause.message = value;
      else cause.field = value;
    } else {
      reader.skip(wireType);
    }
  }
  return cause;
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
