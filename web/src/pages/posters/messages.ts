import { defineMessages } from '../../i18n/i18n';

export const messages = defineMessages(
  {
    title: '村庄二维码',
    intro: '每个村一张二维码海报：村民扫码点单、听回放、报名志愿者，不用注册账号。',
    village: '村',
    pickVillage: '选择一个村',
    notOpen: '这个村还没有二维码。生成后打印张贴，村民即可扫码。',
    open: '生成二维码',
    replace: '更换二维码',
    replaceConfirm: '更换后，旧海报上的二维码立即失效，需要重新打印张贴。确定更换？',
    close: '停用二维码',
    closeConfirm: '停用后，海报上的二维码立即失效，村民扫码将看到“二维码已失效”。确定停用？',
    print: '打印海报',
    opened: '已生成新的二维码',
    closed: '已停用',
    openedAt: '生成于 {time}',
    callToAction: '扫码点单 · 听回放 · 报名志愿者',
    posterLines: '用手机扫一扫，点一堂您想听的宣讲，重听最近七天的“空中大课堂”，报名当志愿者。',
    qrLabel: '二维码：{url}',
  },
  {
    title: 'Village QR posters',
    intro:
      'One QR poster per village: villagers scan it to order a lecture, listen again and sign up as volunteers, with no account.',
    village: 'Village',
    pickVillage: 'Pick a village',
    notOpen: 'This village has no QR code yet. Make one, print it and put it up.',
    open: 'Make the QR code',
    replace: 'Replace the QR code',
    replaceConfirm: 'The old poster’s QR code stops working at once and must be printed again. Replace it?',
    close: 'Close the QR code',
    closeConfirm:
      'The poster’s QR code stops working at once; villagers who scan it are told it is no longer valid. Close it?',
    print: 'Print the poster',
    opened: 'A new QR code was made',
    closed: 'Closed',
    openedAt: 'Made {time}',
    callToAction: 'Scan to order a lecture · listen again · volunteer',
    posterLines:
      'Scan with your phone: order a lecture, listen again to the last seven days of the 17:30 programme, sign up as a volunteer.',
    qrLabel: 'QR code: {url}',
  },
);
