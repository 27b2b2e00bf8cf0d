import { Typography } from 'antd';

/** Placeholder until the page lands (issue 15). */
export default function RundownPage() {
  return <Typography.Title level={2}>rundown</Typography.Title>;
}
