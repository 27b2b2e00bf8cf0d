import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

/** Chinese first; English for the county's visitors and for support. */
export type Locale = 'zh-CN' | 'en';
const STORAGE_KEY = 'dalaba.locale';

export interface Messages<K extends string> {
  'zh-CN': Record<K, string>;
  en: Record<K, string>;
}

/**
 * A feature's strings, both languages side by side, so a key cannot exist in
 * one and be missing in the other (the type check says so). `{name}` in a
 * string is filled from the values given to `t`.
 */
export function defineMessages<K extends string>(zh: Record<K, string>, en: Record<K, string>): Messages<K> {
  return { 'zh-CN': zh, en };
}

export type Translate<K extends string> = (key: K, values?: Record<string, string | number>) => string;

export function fill(template: string, values?: Record<string, string | number>): string {
  return values ? template.replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole)) : template;
}

interface LocaleState {
  locale: Locale;
  setLocale: (locale: Locale) => void;
}

const LocaleContext = createContext<LocaleState>({ locale: 'zh-CN', setLocale: () => undefined });

function storedLocale(): Locale {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setState] = useState<Locale>(storedLocale);
  const setLocale = useCallback((next: Locale) => {
    setState(next);
    document.documentElement.lang = next;
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // A browser that keeps nothing still switches for this visit.
    }
  }, []);
  const value = useMemo(() => ({ locale, setLocale }), [locale, setLocale]);
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleState {
  return useContext(LocaleContext);
}

/** `t(key, values)` for a feature's messages in the chosen language. */
export function useMessages<K extends string>(messages: Messages<K>): Translate<K> {
  const { locale } = useLocale();
  return useCallback(
    (key: K, values?: Record<string, string | number>) => fill(messages[locale][key], values),
    [messages, locale],
  );
}
