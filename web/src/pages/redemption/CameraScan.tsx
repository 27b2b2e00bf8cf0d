import { CameraOutlined } from '@ant-design/icons';
import { Alert, Button, Modal } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useMessages } from '../../i18n/i18n';
import { canScanWithCamera } from './counter';
import { messages } from './messages';

// The Shape Detection API is not in TypeScript's DOM types yet: what this page uses of it.
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<Array<{ rawValue: string }>>;
}
type BarcodeDetectorClass = new (options: { formats: string[] }) => BarcodeDetectorLike;

const SCAN_EVERY_MS = 300;

/** Reads one QR code from the camera and hands its text over; stops the camera when it closes. */
function CameraView({ onRead, onFailed }: { onRead: (text: string) => void; onFailed: () => void }) {
  const video = useRef<HTMLVideoElement>(null);
  // The latest handlers, so that the page re-rendering meanwhile does not restart the camera.
  const handlers = useRef({ onRead, onFailed });
  useEffect(() => {
    handlers.current = { onRead, onFailed };
  });
  useEffect(() => {
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setInterval> | undefined;
    let stopped = false;
    const Detector = (window as unknown as { BarcodeDetector: BarcodeDetectorClass }).BarcodeDetector;
    const detector = new Detector({ formats: ['qr_code'] });
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' } })
      .then(async (opened) => {
        stream = opened;
        if (stopped || !video.current) return;
        video.current.srcObject = opened;
        await video.current.play();
        timer = setInterval(() => {
          if (!video.current) return;
          void detector.detect(video.current).then((codes) => {
            if (codes[0] && !stopped) {
              stopped = true;
              handlers.current.onRead(codes[0].rawValue);
            }
          });
        }, SCAN_EVERY_MS);
      })
      .catch(() => handlers.current.onFailed());
    return () => {
      stopped = true;
      clearInterval(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, []);
  return <video ref={video} muted playsInline style={{ width: '100%', borderRadius: 8 }} />;
}

/** The camera button, offered only where the browser reads QR codes itself. */
export function CameraScan({ onRead }: { onRead: (text: string) => void }) {
  const t = useMessages(messages);
  const [open, setOpen] = useState(false);
  const [failed, setFailed] = useState(false);
  if (!canScanWithCamera()) return null;
  return (
    <>
      <Button
        icon={<CameraOutlined />}
        onClick={() => {
          setFailed(false);
          setOpen(true);
        }}
      >
        {t('camera')}
      </Button>
      <Modal open={open} title={t('cameraTitle')} footer={null} onCancel={() => setOpen(false)} destroyOnHidden>
        {failed ? (
          <Alert type="error" showIcon title={t('cameraFailed')} />
        ) : (
          <CameraView
            onRead={(text) => {
              setOpen(false);
              onRead(text);
            }}
            onFailed={() => setFailed(true)}
          />
        )}
      </Modal>
    </>
  );
}
