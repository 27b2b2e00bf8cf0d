import { Typography } from 'antd';

/** Placeholder until the page lands (issue 15). */
export default function ProgrammesPage() {
  return <Typography.Title level={2}>programmes</Typography.Title>;
}
