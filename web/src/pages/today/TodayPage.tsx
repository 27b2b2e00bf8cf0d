import { Typography } from 'antd';

/** Placeholder until the page lands (issue 15). */
export default function TodayPage() {
  return <Typography.Title level={2}>today</Typography.Title>;
}
