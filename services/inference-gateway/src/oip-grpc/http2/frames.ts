/** Frame types, flags, settings and error codes of RFC 9113 (sections 6, 6.5.2 and 7). */
export const FrameType = {
  DATA: 0x0,
  HEADERS: 0x1,
  PRIORITY: 0x2,
  RST_STREAM: 0x3,
  SETTINGS: 0x4,
  PUSH_PROMISE: 0x5,
  PING: 0x6,
  GOAWAY: 0x7,
  WINDOW_UPDATE: 0x8,
  CONTINUATION: 0x9,
} as const;

export const Flag = {
  END_STREAM: 0x1,
  ACK: 0x1,
  END_HEADERS: 0x4,
  PADDED: 0x8,
  PRIORITY: 0x20,
} as const;

export const Setting = {
  HEADER_TABLE_SIZE: 0x1,
  ENABLE_PUSH: 0x2,
  MAX_CONCURRENT_STREAMS: 0x3,
  INITIAL_WINDOW_SIZE: 0x4,
  MAX_FRAME_SIZE: 0x5,
  MAX_HEADER_LIST_SIZE: 0x6,
} as const;

export const ErrorCode = {
  NO_ERROR: 0x0,
  PROTOCOL_ERROR: 0x1,
  INTERNAL_ERROR: 0x2,
  FLOW_CONTROL_ERROR: 0x3,
  STREAM_CLOSED: 0x5,
  FRAME_SIZE_ERROR: 0x6,
  REFUSED_STREAM: 0x7,
  COMPRESSION_ERROR: 0x9,
  ENHANCE_YOUR_CALM: 0xb,
} as const;
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

export const FRAME_HEADER_BYTES = 9;
/** The values in force until SETTINGS change them (the connection window only moves by WINDOW_UPDATE). */
export const DEFAULT_MAX_FRAME_SIZE = 16384;
export const DEFAULT_WINDOW_SIZE = 65535;
export const DEFAULT_HEADER_TABLE_SIZE = 4096;
/** No flow-control window may go past this. */
export const MAX_WINDOW_SIZE = 0x7fffffff;
export const CLIENT_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/** Ends the connection with GOAWAY and this code (RFC 9113 section 5.4.1). */
export class ConnectionError extends Error {
  constructor(
    readonly code: ErrorCodeValue,
    reason: string,
  ) {
    super(reason);
  }
}
