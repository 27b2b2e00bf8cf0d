import { Typography } from 'antd';

/** Placeholder until the page lands (issue 15). */
export default function RegionsPage() {
  return <Typography.Title level={2}>regions</Typography.Title>;
}
