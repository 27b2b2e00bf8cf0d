import { Spin } from 'antd';

/** What shows while a page's code or first data is on its way. */
export function PageLoading() {
  return (
    <div style={{ display: 'flex', justifyContent: 'center', padding: 48 }}>
      <Spin size="large" />
    </div>
  );
}
