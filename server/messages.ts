/**
 * The server's own texts, for the signer's mails and the confirmation and withdrawal pages.
 *
 * File format: CONTENT_DIR/messages/<lang>.json is one flat JSON object of key → text, e.g.
 *
 *   { "mail.subject.confirm": "Please confirm your signature: {title}" }
 *
 * `{title}` is a placeholder, filled in where the text is used. A number is worded through the
 * language's plural rules in ICU MessageFormat (intl-messageformat), as in
 *
 *   { "page.expired.text": "Links work for {days, plural, one {# day} other {# days}}." }
 *
 * with the categories the language has (one, few, many, other…; Intl.PluralRules). en.json must
 * have every key in MESSAGE_KEYS. Another language may leave keys out (English stands in, key by
 * key), but may not add keys, nor placeholders that the English text does not have. Every file
 * is checked at start (its texts compiled), and a bad one stops the server with its path and key
 * in the message.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import * as z from 'zod';
import { LANGUAGE, nearestOfAny, readJsonFile } from './content-files.js';

export const MESSAGE_KEYS = [
  'mail.subject.confirm',
  'mail.subject.counted',
  'mail.greeting',
  // What was signed, in the mail and on the confirmation page (see signature-details.ts).
  'details.intro',
  'details.signer_type',
  'details.signer_type.individual',
  'details.signer_type.organisation',
  'details.signer_type.representative',
  'details.name',
  'details.organisation',
  'details.role',
  'details.country',
  'details.country.other',
  'details.listed',
  'details.unlisted',
  'details.newsletter',
  'details.no_newsletter',
  'mail.confirm',
  'mail.counted',
  'mail.withdraw',
  'mail.not_you.confirm',
  'mail.not_you.counted',
  // Set only when campaign.json names an organiser.
  'mail.organiser',
  'mail.contact',
  'page.confirm.heading',
  'page.confirm.text',
  'page.confirm.button',
  'page.withdraw.heading',
  'page.withdraw.text',
  'page.withdraw.button',
  'page.confirmed.heading',
  'page.confirmed.text',
  'page.confirmed.back',
  'page.share.heading',
  'page.share.text',
  'page.share.email',
  'page.already_confirmed.heading',
  'page.already_confirmed.text',
  'page.withdrawn.heading',
  'page.withdrawn.text',
  'page.withdraw.keep',
  'page.kept.heading',
  'page.kept.text',
  'page.expired.heading',
  'page.expired.text',
  'page.unknown.heading',
  'page.unknown.text',
  // The privacy notice (routes/privacy.ts), and the link to it from mails and pages.
  'privacy.link',
  'privacy.title',
  'privacy.intro',
  'privacy.controller.heading',
  'privacy.controller.text',
  'privacy.contact',
  'privacy.dpo',
  'privacy.kept.heading',
  'privacy.kept.identity',
  'privacy.kept.organisation',
  'privacy.kept.context',
  'privacy.kept.choices',
  'privacy.kept.not',
  'privacy.purposes.heading',
  'privacy.purposes',
  'privacy.legal_basis.heading',
  'privacy.legal_basis',
  'privacy.recipients.heading',
  'privacy.recipients',
  'privacy.retention.heading',
  'privacy.retention.unconfirmed',
  'privacy.retention.confirmed_days',
  'privacy.retention.confirmed_campaign',
  'privacy.rights.heading',
  'privacy.rights.withdraw',
  'privacy.rights.access',
  'privacy.rights.complaint',
  // The partners' banners (routes/banners.ts): the call to sign, and the live count's word in
  // the plural form the count takes ({count, plural, …}), as the widget words them.
  'banner.sign',
  'banner.supporters',
] as const;

export type MessageKey = (typeof MESSAGE_KEYS)[number];
export type MessageValues = Record<string, string | number>;

/** Texts in one language. */
export interface Messages {
  /** The language served: the one asked for, or English when it has no file. */
  lang: string;
  text(key: MessageKey, values?: MessageValues): string;
}

export interface MessageCatalog {
  /** Languages with a file of their own, sorted. */
  languages: string[];
  /** The texts in the first of `wanted` that has a file (`bg-BG` finds `bg`), else English. */
  in(...wanted: Array<string | undefined>): Messages;
}

export const FALLBACK_LANGUAGE = 'en';

const text = z.string().trim().min(1, { error: 'must not be empty' });
const englishFile = z.strictObject(Object.fromEntries(MESSAGE_KEYS.map((key) => [key, text])) as Record<MessageKey, typeof text>);
const translationFile = englishFile.partial();

type Texts = Record<MessageKey, string>;
/** A text compiled for its language, with the names it fills in, found once. */
interface CompiledText {
  message: IntlMessageFormat;
  names: ReadonlySet<string>;
}
type Compiled = Record<MessageKey, CompiledText>;

/** Reads and checks every file under `contentDir/messages`; throws naming the bad file. */
export function loadMessages(contentDir: string): MessageCatalog {
  const folder = join(contentDir, 'messages');
  const where = (file: string) => relative(contentDir, join(folder, file));
  if (!existsSync(join(folder, `${FALLBACK_LANGUAGE}.json`))) {
    throw new Error(`${where(`${FALLBACK_LANGUAGE}.json`)} is missing: the server's texts need English. Is CONTENT_DIR right?`);
  }
  const english: Texts = readJsonFile(join(folder, `${FALLBACK_LANGUAGE}.json`), englishFile, where(`${FALLBACK_LANGUAGE}.json`));
  const englishCompiled = compile(english, FALLBACK_LANGUAGE, where(`${FALLBACK_LANGUAGE}.json`));
  const byLanguage = new Map<string, Compiled>([[FALLBACK_LANGUAGE, englishCompiled]]);
  for (const file of readdirSync(folder)) {
    const lang = file.endsWith('.json') ? file.slice(0, -'.json'.length) : '';
    if (!lang || lang === FALLBACK_LANGUAGE) continue;
    if (!LANGUAGE.test(lang)) throw new Error(`${where(file)}: a language file is named by its language code, such as bg.json.`);
    const translated = readJsonFile(join(folder, file), translationFile, where(file));
    const compiled = compile(translated, lang, where(file));
    checkPlaceholders(compiled, englishCompiled, where(file));
    byLanguage.set(lang, { ...englishCompiled, ...compiled });
  }

  const languages = [...byLanguage.keys()].sort();
  return {
    languages,
    in(...wanted) {
      const lang = nearestOfAny(wanted, languages) ?? FALLBACK_LANGUAGE;
      const texts = byLanguage.get(lang)!;
      return { lang, text: (key, values = {}) => fill(texts[key], values) };
    },
  };
}

/** Where a value is missing, its placeholder stays as it is (`{title}`), as a sign, rather than failing the page or mail. */
function fill({ message, names }: CompiledText, values: MessageValues): string {
  const missing = [...names].filter((name) => !(name in values));
  return String(message.format(missing.length ? { ...Object.fromEntries(missing.map((name) => [name, `{${name}}`])), ...values } : values));
}

/** Each text compiled for its language: a text that is not well-formed MessageFormat stops the server. */
function compile<T extends Partial<Texts>>(texts: T, lang: string, label: string): { [K in keyof T]: CompiledText } {
  return Object.fromEntries(
    Object.entries(texts).map(([key, template]): [string, CompiledText] => {
      let message: IntlMessageFormat;
      try {
        // `ignoreTag`: a text's < and > are text, not markup.
        // Our Portuguese is Portugal's, whose plural rules differ from Brazil's (the default for `pt`).
        message = new IntlMessageFormat(template as string, lang === 'pt' ? 'pt-PT' : lang, undefined, { ignoreTag: true });
      } catch (error) {
        throw new Error(`${label}: ${key}: not well-formed MessageFormat (${(error as Error).message}).`, { cause: error });
      }
      return [key, { message, names: placeholders(message.getAst()) }];
    }),
  ) as { [K in keyof T]: CompiledText };
}

/** The names `template` fills in, sorted: what a translation of it must fill in too. */
export const placeholderNames = (template: string): string[] => [...placeholders(parse(template, { ignoreTag: true }))].sort();

/** The names a text fills in: `{title}`, and the number of a `{days, plural, …}`, within plural forms too. */
function placeholders(elements: MessageFormatElement[], names = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
    if (element.type === TYPE.tag) {
      placeholders(element.children, names);
      continue;
    }
    names.add(element.value);
    if (element.type === TYPE.plural || element.type === TYPE.select) {
      for (const option of Object.values(element.options)) placeholders(option.value, names);
    }
  }
  return names;
}

/** A translation that used a placeholder English lacks would show it as `{typo}` to signers. */
function checkPlaceholders(translated: Partial<Compiled>, english: Compiled, label: string) {
  for (const [key, { names }] of Object.entries(translated) as Array<[MessageKey, CompiledText]>) {
    const known = english[key].names;
    const unknown = [...names].filter((name) => !known.has(name));
    if (unknown.length) {
      const allowed = [...known].map((name) => `{${name}}`).join(', ') || 'none';
      throw new Error(`${label}: ${key}: uses {${unknown.join('}, {')}}, which English does not have (allowed: ${allowed}).`);
    }
  }
}
