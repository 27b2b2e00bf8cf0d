// A local alert reported up as an EBM of this platform (issue 18 point 5):
// the 突发事件分类 code of its category, the MsgType of a drill.
import type { AlertCategory } from '../../emergencies/domain/alert';
import { MsgType } from './codes';

/** The top code of each category's class; categoryOfEvent (ebm.ts) reads each back as the same category. */
const EVENT_OF_CATEGORY: Record<AlertCategory, string> = {
  flood: '11A00', // 水旱灾害
  weather: '11B00', // 气象灾害
  earthquake: '11C00', // 地震灾害
  geological: '11D00', // 地质灾害
  fire: '12G00', // 火灾
  'public-health': '13000', // 公共卫生事件
  'public-security': '14000', // 社会安全事件
  other: '19000', // 其它突发事件
};

export const eventOfCategory = (category: string): string =>
  EVENT_OF_CATEGORY[category as AlertCategory] ?? EVENT_OF_CATEGORY.other;

/** A drill goes up as 平台演练播发 (3): it was drilled on this platform; anything else is 实际播发 (1). */
export const msgTypeOf = (drill: boolean) => (drill ? MsgType.PlatformDrill : MsgType.Broadcast);
