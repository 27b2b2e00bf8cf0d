import type { ThemeConfig } from 'antd';

/**
 * Ant Design's defaults, darkened where they fall below WCAG AA contrast on
 * white (4.5:1): its link blue, its error red (danger buttons, messages) and its
 * secondary and tertiary greys, and the grey a list says it is empty in
 * (antd draws it in the disabled colour, as if it were a control). People
 * read this console outdoors on phones too.
 */
export const THEME: ThemeConfig = {
  token: {
    colorPrimary: '#c41d1d',
    colorLink: '#0958d9',
    colorError: '#cf1322',
    colorTextSecondary: 'rgba(0, 0, 0, 0.68)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
  },
  // A list draws its items, and the words saying it is empty, inside a Spin, whose own scope sets the
  // disabled grey again: both are overridden, and no control's disabled look changes.
  components: {
    List: { colorTextDisabled: 'rgba(0, 0, 0, 0.62)' },
    Spin: { colorTextDisabled: 'rgba(0, 0, 0, 0.62)' },
  },
};
