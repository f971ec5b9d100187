import { Component, type ReactNode } from 'react';
import { t } from './i18n';

interface Props {
  children: ReactNode;
  /** A way out that fits the page (reset the site's stored data, open settings); reload is always offered. */
  actions?: (retry: () => void) => ReactNode;
}

/**
 * A rendering error shows what happened and a way out instead of a blank page:
 * stored data outlives the code that wrote it, and one bad value must not make
 * the popup or the settings unusable.
 */
export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error): void {
    console.error('Stalebuster: rendering failed:', error);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const retry = () => this.setState({ error: null });
    return (
      <main className="stack" role="alert">
        <h1>{t('errorBoundaryTitle')}</h1>
        <p className="muted">{t('errorBoundaryHint', error.message)}</p>
        <div className="row">
          {this.props.actions?.(retry)}
          <button type="button" onClick={() => location.reload()}>{t('errorBoundaryReload')}</button>
        </div>
      </main>
    );
  }
}
