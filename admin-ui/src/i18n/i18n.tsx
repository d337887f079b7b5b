/**
 * A tiny t(): two flat dictionaries (ko.ts, en.ts), `{name}` placeholders, the choice kept in localStorage.
 * No i18n library: the console has two languages, no plurals that Korean needs, and every byte counts
 * against the first-load budget.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en } from './en';
import { ko, type MessageKey } from './ko';

export type Language = 'ko' | 'en';
export type { MessageKey };
export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

const dictionaries: Record<Language, Record<MessageKey, string>> = { ko, en };
const STORAGE_KEY = 'vm_admin_lang';

function storedLanguage(): Language {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'ko';
  } catch {
    return 'ko';
  }
}

export function translate(language: Language, key: MessageKey, values?: Record<string, string | number>) {
  const text = dictionaries[language][key];
  if (!values) return text;
  return text.replace(/\{(\w+)\}/g, (match, name: string) => (name in values ? String(values[name]) : match));
}

/** True when the dictionary has this key (error codes are looked up this way). */
export function hasMessage(key: string): key is MessageKey {
  return key in ko;
}

interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  t: Translate;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(storedLanguage);
  useEffect(() => {
    document.documentElement.lang = language;
    document.title = translate(language, 'app.title');
  }, [language]);
  const setLanguage = useCallback((next: Language) => {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // storage disabled: the choice lasts for this page only
    }
    setLanguageState(next);
  }, []);
  const t = useCallback<Translate>((key, values) => translate(language, key, values), [language]);
  const value = useMemo(() => ({ language, setLanguage, t }), [language, setLanguage, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
