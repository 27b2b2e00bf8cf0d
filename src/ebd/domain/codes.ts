// The code tables of the EBD exchange (GD/J 08x-2018 as public implementations
// show it: see docs/ebd-exchange.md). Names are the protocol's, so the XML and
// the code read alike.

/** What an OMDRequest may ask for: each a report of its own type. Dalaba answers the ones it has nothing for (stations, adapters, transmission devices) with an empty report. */
export const OMD_TYPES = [
  'EBRPSInfo',
  'EBRSTInfo',
  'EBRASInfo',
  'EBRBSInfo',
  'EBRDTInfo',
  'EBMBrdLog',
  'EBRPSState',
  'EBRASState',
  'EBRBSState',
  'EBRDTState',
] as const;
export type OmdType = (typeof OMD_TYPES)[number];

/** Every EBDType a package may have; the detail element is named the same. */
export const EBD_TYPES = [
  'EBM',
  'EBMStateRequest',
  'EBMStateResponse',
  'OMDRequest',
  ...OMD_TYPES,
  'ConnectionCheck',
  'EBDResponse',
] as const;
export type EbdType = (typeof EBD_TYPES)[number];

/** EBDResponse ResultCode. */
export const ResultCode = {
  /** 接收解析及数据校验成功 */
  Success: 1,
  /** 接收解析失败: not a tar, no EBDB, not well-formed XML, a DTD. */
  ParseFailure: 2,
  /** 数据内容缺失: a required element missing or empty, a value out of its table, no area in this county. */
  ContentMissing: 3,
  /** 签名验证失败 */
  SignatureFailure: 4,
  /** 其他错误: an unknown sender, an oversize package, a failure of ours. */
  Other: 5,
} as const;
export type ResultCode = (typeof ResultCode)[keyof typeof ResultCode];
export const RESULT_DESC: Record<ResultCode, string> = {
  1: '接收解析及数据校验成功',
  2: '接收解析失败',
  3: '数据内容缺失',
  4: '签名验证失败',
  5: '其他错误',
};

/** BrdStateCode: the state of a broadcast (EBMStateResponse, EBMBrdLog). */
export const BrdState = {
  Unprocessed: 0,
  Waiting: 1,
  Broadcasting: 2,
  Succeeded: 3,
  Failed: 4,
  Cancelled: 5,
} as const;
export type BrdState = (typeof BrdState)[keyof typeof BrdState];
export const BRD_STATE_DESC: Record<BrdState, string> = {
  0: '未处理',
  1: '等待播发',
  2: '播发中',
  3: '播发成功',
  4: '播发失败',
  5: '播发取消',
};

/** StateCode of a resource (EBRDTState, EBRPSState). */
export const ResourceState = { Normal: 1, Off: 2, Fault: 3, Recovered: 4, Broadcasting: 5 } as const;
export type ResourceState = (typeof ResourceState)[keyof typeof ResourceState];
export const RESOURCE_STATE_DESC: Record<ResourceState, string> = {
  1: '开机/运行正常',
  2: '关机/停止运行',
  3: '故障',
  4: '故障恢复',
  5: '播发中',
};

/** MsgType of an EBM: 1 实际播发, 2 取消播发, 3 平台演练, 4 前端演练, 5 终端演练. */
export const MsgType = { Broadcast: 1, Cancel: 2, PlatformDrill: 3, FrontEndDrill: 4, TerminalDrill: 5 } as const;
export const isDrill = (msgType: number) => msgType >= 3 && msgType <= 5;

/** AuxiliaryType 2: MPEG-1 Layer III, the only attached audio Dalaba airs (1, 3, 4 are MPEG-1 Layer II and DRA). */
export const AUXILIARY_MP3 = 2;
