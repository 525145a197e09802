/**
 * Which language the widget speaks, and loading it. One script serves every language: English
 * is built in; each other language is a small chunk fetched the first time it is needed.
 */
import { configureLocalization, type LocaleModule } from '@lit/localize';
import { sourceLocale, type targetLocales } from './generated/locale-codes.js';

/**
 * Each language by its own name, for the language picker, in the picker's order (by code).
 * Written out because browsers trim their locale data (Chromium names Irish "Irish", not "Gaeilge").
 */
export const LANGUAGE_NAMES: Record<Locale, string> = {
  bg: 'български',
  ca: 'català',
  cs: 'čeština',
  da: 'dansk',
  de: 'Deutsch',
  el: 'Ελληνικά',
  en: 'English',
  es: 'español',
  et: 'eesti',
  eu: 'euskara',
  fi: 'suomi',
  fr: 'français',
  ga: 'Gaeilge',
  gl: 'galego',
  hr: 'hrvatski',
  hu: 'magyar',
  it: 'italiano',
  lt: 'lietuvių',
  lv: 'latviešu',
  mt: 'Malti',
  nl: 'Nederlands',
  pl: 'polski',
  pt: 'português',
  ro: 'română',
  sk: 'slovenčina',
  sl: 'slovenščina',
  sv: 'svenska',
};

type TargetLocale = (typeof targetLocales)[number];
export type Locale = typeof sourceLocale | TargetLocale;

/**
 * Every locale, by code. From the names above rather than the generated list: the same codes
 * (the names' type admits no other and misses none), without a second copy in the bundle.
 */
export const allLocales = Object.keys(LANGUAGE_NAMES) as Locale[];
const locales: ReadonlySet<string> = new Set(allLocales);

// A literal map of import() calls, so that every bundler sees every chunk; its type makes the
// build fail when a target locale has no loader.
const loaders: Record<TargetLocale, () => Promise<LocaleModule>> = {
  bg: () => import('./generated/locales/bg.js'),
  ca: () => import('./generated/locales/ca.js'),
  cs: () => import('./generated/locales/cs.js'),
  da: () => import('./generated/locales/da.js'),
  de: () => import('./generated/locales/de.js'),
  el: () => import('./generated/locales/el.js'),
  es: () => import('./generated/locales/es.js'),
  et: () => import('./generated/locales/et.js'),
  eu: () => import('./generated/locales/eu.js'),
  fi: () => import('./generated/locales/fi.js'),
  fr: () => import('./generated/locales/fr.js'),
  ga: () => import('./generated/locales/ga.js'),
  gl: () => import('./generated/locales/gl.js'),
  hr: () => import('./generated/locales/hr.js'),
  hu: () => import('./generated/locales/hu.js'),
  it: () => import('./generated/locales/it.js'),
  lt: () => import('./generated/locales/lt.js'),
  lv: () => import('./generated/locales/lv.js'),
  mt: () => import('./generated/locales/mt.js'),
  nl: () => import('./generated/locales/nl.js'),
  pl: () => import('./generated/locales/pl.js'),
  pt: () => import('./generated/locales/pt.js'),
  ro: () => import('./generated/locales/ro.js'),
  sk: () => import('./generated/locales/sk.js'),
  sl: () => import('./generated/locales/sl.js'),
  sv: () => import('./generated/locales/sv.js'),
};

export const { getLocale, setLocale } = configureLocalization({
  sourceLocale,
  // The loaders' keys are the target locales (their type makes sure of it).
  targetLocales: Object.keys(loaders),
  loadLocale: (locale) => loaders[locale as TargetLocale](),
});

/**
 * The supported locale that best matches a language tag: the tag itself, else its language
 * (`de-AT` → `de`, `pt-BR` → `pt`), else undefined.
 */
export function matchLocale(tag: string | null | undefined): Locale | undefined {
  if (!tag) return undefined;
  const lower = tag.trim().toLowerCase();
  if (locales.has(lower)) return lower as Locale;
  const language = lower.split(/[-_]/)[0];
  return locales.has(language) ? (language as Locale) : undefined;
}

/**
 * The element's own `lang`, else the nearest `lang` in the host page, else the browser's
 * languages, else English.
 */
export function resolveLocale(element: HTMLElement): Locale {
  const own = matchLocale(element.lang);
  if (own) return own;
  const ancestor = element.parentElement?.closest('[lang]') ?? document.documentElement;
  const fromPage = matchLocale(ancestor.getAttribute('lang'));
  if (fromPage) return fromPage;
  for (const language of navigator.languages ?? []) {
    const match = matchLocale(language);
    if (match) return match;
  }
  return sourceLocale;
}
