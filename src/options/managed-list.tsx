import { useEffect, useState } from 'react';
import { MAX_MANAGED_ORIGINS, summariseIssues, type PolicyIssue } from '../core/managed';
import { isLoopbackHost } from '../core/permissions';
import { grantedOrigins, requestHostAccessAll } from '../platform/permissions';
import { Notice } from '../ui/components';
import { t } from '../ui/i18n';
import { useSettings } from '../ui/settings-store';

const ISSUE_KEYS: Record<PolicyIssue['reason'], string> = {
  'unknown-key': 'policyIssueUnknownKey',
  'wrong-type': 'policyIssueWrongType',
  'out-of-range': 'policyIssueOutOfRange',
  'too-broad': 'policyIssueTooBroad',
  'not-an-origin': 'policyIssueNotAnOrigin',
  'too-many': 'policyIssueTooMany',
  'missing-list': 'policyIssueMissingList',
  'not-an-app': 'policyIssueNotAnApp',
  'too-many-apps': 'policyIssueTooManyApps',
};

/** Policy values that were ignored, each with its reason; the rest of the policy applies. */
export function PolicyNotice() {
  const all = useSettings((s) => s.policyIssues);
  if (all.length === 0) return null;
  const { issues, overLimit, more } = summariseIssues(all);
  const lines = issues.map((i) => t(ISSUE_KEYS[i.reason], [i.key, i.value]));
  if (overLimit > 0) lines.push(t('policyIssueOverLimit', [overLimit.toLocaleString(), MAX_MANAGED_ORIGINS.toLocaleString()]));
  if (more > 0) lines.push(t('policyIssuesMore', more.toLocaleString()));
  return (
    <Notice kind="warn">
      <span data-testid="policy-issues">{t('policyIssues', lines.join('; '))}</span>
    </Notice>
  );
}

/**
 * Sites the organisation protects: not editable here. A browser lets no policy
 * grant an extension access to a host, so the ones still without it get one
 * button for all of them (one permission prompt, inside the click).
 */
export function ManagedList() {
  const policy = useSettings((s) => s.policy);
  const origins = policy.protectedOrigins;
  const [granted, setGranted] = useState<Set<string> | null>(null);
  useEffect(() => {
    void grantedOrigins(origins).then(setGranted);
  }, [origins]);
  if (origins.length === 0) return null;
  // Loopback needs no grant: the extension has it from install.
  const missing = granted ? origins.filter((o) => !granted.has(o) && !isLoopbackHost(new URL(o).hostname)) : [];
  return (
    <section aria-labelledby="managed-heading" className="card stack">
      <h2 id="managed-heading">{t('managedHeading')}</h2>
      <p className="muted">{t('managedByOrg')}{policy.lockProtection ? ` · ${t('managedSiteLocked')}` : ''}</p>
      <ul className="origin-list" aria-labelledby="managed-heading">
        {origins.map((origin) => (
          <li key={origin} className="row spread">
            <span className="origin">{origin}</span>
            {(policy.appPaths?.[origin] ?? []).length > 0 && (
              <ul className="app-paths" aria-label={t('appPathsLabel', origin)}>
                {policy.appPaths![origin]!.map((path) => <li key={path} className="app-path">{path}</li>)}
              </ul>
            )}
            {missing.includes(origin) && <span className="muted small">{t('managedNeedsAccess')}</span>}
          </li>
        ))}
      </ul>
      {missing.length > 0 && (
        <div className="stack tight">
          <p className="muted small flush">{t('managedAllowAccessHint')}</p>
          <div className="row">
            <button type="button" onClick={() => void requestHostAccessAll(missing).then(() => grantedOrigins(origins).then(setGranted))}>
              {t('managedAllowAccess', String(missing.length))}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
