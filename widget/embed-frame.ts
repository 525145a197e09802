/**
 * The iframe embed page's own script (`/widget/embed-frame.js`): tells the page that frames it
 * how tall the widget is, once it is defined and whenever its height changes, and again when
 * that page's resizer (embed-resizer.ts), which may load later, asks. Messages go to the
 * parent's origin alone where the browser tells it, and requests count only from the parent.
 */
import { HEIGHT_MESSAGE, HEIGHT_REQUEST } from '../contract/embed.js';
import { embeddingPage } from './embedding.js';

if (window.parent !== window) {
  const parentOrigin = embeddingPage()?.origin;
  const tellHeight = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    window.parent.postMessage({ type: HEIGHT_MESSAGE, height }, parentOrigin ?? '*');
  };
  addEventListener('message', ({ data, source, origin }) => {
    if (source === window.parent && (!parentOrigin || origin === parentOrigin) && data?.type === HEIGHT_REQUEST) tellHeight();
  });
  void customElements.whenDefined('cohesion-declaration').then(() => new ResizeObserver(tellHeight).observe(document.documentElement));
}
