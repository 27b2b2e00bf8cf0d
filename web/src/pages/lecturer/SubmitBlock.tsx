import { Button, Typography } from 'antd';
import { FailureAlert } from '../../components/failure';

/** A rule that a field must be filled, told in the lecturer's words. */
export const required = (message: string) => [{ required: true, message }];

/**
 * A form's one submit button, full width for a thumb; why it is off, beside
 * it (nothing needs hover); and the server's refusal beneath it, in Chinese.
 */
export function SubmitBlock({
  label,
  pending,
  blockedBy,
  error,
}: {
  label: string;
  pending: boolean;
  /** Why it cannot be sent yet, or null. */
  blockedBy: string | null;
  error: unknown;
}) {
  return (
    <>
      <Button type="primary" htmlType="submit" block loading={pending} disabled={!!blockedBy} style={{ height: 48 }}>
        {label}
      </Button>
      {blockedBy && <Typography.Text>{blockedBy}</Typography.Text>}
      {!!error && (
        <div style={{ marginTop: 12 }}>
          <FailureAlert error={error} />
        </div>
      )}
    </>
  );
}
