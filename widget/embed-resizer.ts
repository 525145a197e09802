/**
 * The optional one-line script for a partner page that frames the iframe embed
 * (`/widget/embed-resizer.js`, under 1 KB gzip): every embed iframe on the page takes the height
 * its page posts (embed-frame.ts), so it shows all of the widget and nothing more. Pages that
 * cannot run scripts keep the snippet's default height.
 *
 * A height counts only from an iframe of this page whose address is an embed page, and only
 * from that address's origin; a height no widget has is ignored.
 */
import { EMBED_PATH, HEIGHT_MESSAGE, HEIGHT_REQUEST, MAX_EMBED_HEIGHT } from '../contract/embed.js';

/** The origin of an iframe that holds an embed page, or undefined for any other. */
function embedOrigin(frame: HTMLIFrameElement): string | undefined {
  try {
    const url = new URL(frame.src);
    return url.pathname.startsWith(EMBED_PATH) ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

const frames = () => [...document.querySelectorAll('iframe')];

addEventListener('message', ({ data, source, origin }) => {
  const height: unknown = data?.type === HEIGHT_MESSAGE && data.height;
  if (typeof height !== 'number' || !(height > 0 && height <= MAX_EMBED_HEIGHT)) return;
  const frame = frames().find((candidate) => candidate.contentWindow === source);
  if (frame && embedOrigin(frame) === origin) frame.style.blockSize = `${Math.ceil(height)}px`;
});

// Frames that told their height before this script ran tell it again.
for (const frame of frames()) {
  const origin = embedOrigin(frame);
  if (origin) frame.contentWindow?.postMessage({ type: HEIGHT_REQUEST }, origin);
}
