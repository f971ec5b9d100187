/**
 * The popup's frame and its placeholder content. Pure markup (no browser API,
 * no translated text): the build renders it into index.html with React's
 * server renderer, so the popup paints before any script runs, and the first
 * client render produces exactly the same markup, which React hydrates. Every
 * box keeps its size when the real content replaces the placeholder (no layout
 * shift).
 */
import type { ReactNode } from 'react';

export function PopupFrame(props: { headerEnd?: ReactNode; busy?: boolean; children: ReactNode }) {
  return (
    <main className="popup-main" aria-busy={props.busy ? true : undefined}>
      <header className="popup-header">
        <h1>Stalebuster</h1>
        <div className="header-end">{props.headerEnd}</div>
      </header>
      {props.children}
    </main>
  );
}

/** Grey boxes where the site, its status, the main action and the last clear go. */
export function Placeholder() {
  return (
    <div className="placeholder" aria-hidden="true">
      <div className="site-line skeleton" />
      <div className="status-card skeleton" />
      <div className="primary-slot skeleton" />
      <div className="undo-slot skeleton" />
    </div>
  );
}

/** What the build writes into index.html. */
export function PopupShell() {
  return (
    <PopupFrame busy>
      <Placeholder />
    </PopupFrame>
  );
}
