import { Typography } from 'antd';

/** Placeholder until the page lands (issue 15). */
export default function EmergenciesPage() {
  return <Typography.Title level={2}>emergencies</Typography.Title>;
}
