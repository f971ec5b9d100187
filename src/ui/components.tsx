import { useId, type ReactNode } from 'react';

export function Switch(props: { label: string; hint?: string | undefined; checked: boolean; disabled?: boolean; onChange: (next: boolean) => void }) {
  const labelId = useId();
  const hintId = useId();
  // Named by the label alone and described by the hint, so a screen reader says "Auto-clear on update, switch, off" first.
  return (
    <label className="switch">
      <input
        type="checkbox"
        role="switch"
        checked={props.checked}
        disabled={props.disabled}
        aria-labelledby={labelId}
        aria-describedby={props.hint ? hintId : undefined}
        onChange={(e) => props.onChange(e.currentTarget.checked)}
      />
      <span className="switch-text">
        <span id={labelId}>{props.label}</span>
        {props.hint && <small id={hintId}>{props.hint}</small>}
      </span>
    </label>
  );
}

export function RadioGroup<T extends string>(props: { legend: string; name: string; value: T; disabled?: boolean; options: { value: T; label: string; hint?: string }[]; onChange: (v: T) => void }) {
  return (
    <fieldset className="radios" disabled={props.disabled}>
      <legend>{props.legend}</legend>
      {props.options.map((o) => (
        <label key={o.value}>
          <input type="radio" name={props.name} value={o.value} checked={props.value === o.value} onChange={() => props.onChange(o.value)} />
          <span className="switch-text">
            <span>{o.label}</span>
            {o.hint && <small>{o.hint}</small>}
          </span>
        </label>
      ))}
    </fieldset>
  );
}

export function Notice(props: { kind: 'info' | 'warn' | 'error' | 'ok'; children: ReactNode; onDismiss?: () => void; dismissLabel?: string }) {
  return (
    <div className={`notice notice-${props.kind}`} role={props.kind === 'error' || props.kind === 'warn' ? 'alert' : 'status'}>
      <div>{props.children}</div>
      {props.onDismiss && (
        <button type="button" className="link" onClick={props.onDismiss}>
          {props.dismissLabel}
        </button>
      )}
    </div>
  );
}
