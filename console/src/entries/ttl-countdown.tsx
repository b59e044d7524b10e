import { useEffect, useState } from 'preact/hooks';

function remaining(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const parts = [
    days > 0 ? `${days}d` : '',
    hours > 0 ? `${hours}h` : '',
    minutes > 0 ? `${minutes}m` : '',
    `${seconds % 60}s`,
  ];
  return parts.filter((part) => part !== '').join(' ');
}

/** When an entry expires, counting down each second (the service judges by its own clock). */
export function TtlCountdown({ expiresAt }: { expiresAt: string | null }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (expiresAt === null) {
      return undefined;
    }
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [expiresAt]);
  if (expiresAt === null) {
    return <span>never expires</span>;
  }
  const left = new Date(expiresAt).getTime() - now;
  return (
    <span>
      <time dateTime={expiresAt}>{new Date(expiresAt).toLocaleString()}</time>{' '}
      <span class={left <= 60000 ? 'soon' : undefined}>
        ({left > 0 ? `in ${remaining(left)}` : 'expired'})
      </span>
    </span>
  );
}
