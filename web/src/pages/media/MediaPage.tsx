import { Typography } from 'antd';

/** Placeholder until the page lands (issue 15). */
export default function MediaPage() {
  return <Typography.Title level={2}>media</Typography.Title>;
}
