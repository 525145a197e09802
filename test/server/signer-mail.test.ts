/**
 * The signer's mail as signer-mail.ts writes it: one list of parts, as plain text and as HTML.
 * The HTML part must render in common mail clients without loading anything, and must keep what
 * a stranger typed inert: escaped, its addresses broken, and never inside a link. What arrives
 * through SMTP (multipart/alternative) is in double-opt-in.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadCampaigns, type Campaign, type CampaignCatalog, type Organiser } from '../../server/campaigns.js';
import { loadConfig } from '../../server/config.js';
import { signerMail, type MailTokens } from '../../server/mail/signer-mail.js';
import { loadMessages } from '../../server/messages.js';
import type { MailJob, SignatureDetails } from '../../server/store/signature-store.js';
import { titleIn } from './support/signer-links.js';
import { CAMPAIGN } from './support/test-app.js';

const PUBLIC_URL = 'https://sign.example.eu';
const contentDir = loadConfig({}).contentDir;
const messages = loadMessages(contentDir);
const shipped = loadCampaigns(contentDir);
const TOKENS: MailTokens = { confirm: '7.confirm-token', withdraw: '7.withdraw-token' };
const CONFIRM = `${PUBLIC_URL}/confirm?token=${TOKENS.confirm}`;
const WITHDRAW = `${PUBLIC_URL}/withdraw?token=${TOKENS.withdraw}`;

/** The shipped campaign, with an organiser when given. */
function campaignsWith(organiser?: Organiser): CampaignCatalog {
  const campaign: Campaign = { ...shipped.get(CAMPAIGN)!, organiser };
  return { get: (id) => (id === CAMPAIGN ? campaign : undefined), ids: () => [CAMPAIGN] };
}

function write({
  details = {},
  lang,
  tokens = TOKENS,
  organiser,
}: { details?: Partial<SignatureDetails>; lang?: string; tokens?: MailTokens; organiser?: Organiser } = {}) {
  const job: MailJob = {
    id: 7,
    signatureId: 7,
    attempt: 1,
    queuedAt: 0,
    campaign: CAMPAIGN,
    email: 'maria.ivanova@example.org',
    lang,
    status: tokens.confirm ? 'pending' : 'confirmed',
    details: {
      signerType: 'individual',
      name: 'Maria Ivanova',
      organisation: null,
      role: null,
      country: 'BG',
      listPublicly: false,
      newsletter: false,
      ...details,
    },
  };
  return signerMail(job, tokens, { campaigns: campaignsWith(organiser), messages, publicUrl: PUBLIC_URL });
}

/** The privacy notice in the mail's language, as the HTML part links it. */
const privacyIn = (lang: string) => `${PUBLIC_URL}/privacy?lang=${lang}&amp;campaign=cohesion-alliance`;

/** Every link target in an HTML part. */
const hrefsIn = (html: string) => [...html.matchAll(/\shref="([^"]*)"/g)].map((match) => match[1]);
const count = (text: string, part: string) => text.split(part).length - 1;
const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe("the signer's mail", () => {
  it('says the same in both parts, in the signer’s language, with the confirm link once in each', () => {
    const mail = write({ lang: 'de' });
    const title = titleIn('de');
    assert.match(mail.html, /^<!doctype html>\n<html lang="de">/);
    assert.ok(mail.html.includes(`<title>Bitte bestätigen Sie Ihre Unterschrift: ${title}</title>`), mail.html);
    assert.ok(mail.html.includes(`>${title}</h1>`));
    for (const sentence of [
      'Wenn Sie nicht unterzeichnet haben, ignorieren Sie diese E-Mail bitte einfach',
      'Sie können Ihre Unterschrift jederzeit zurückziehen',
      '#CohesionAlliance',
    ]) {
      assert.ok(mail.text.includes(sentence), sentence);
      assert.ok(mail.html.includes(sentence), sentence);
    }
    assert.equal(count(mail.text, CONFIRM), 1);
    assert.match(mail.text, new RegExp(`^${literally(CONFIRM)}$`, 'm'), 'on a line of its own');
    assert.deepEqual(
      hrefsIn(mail.html),
      [CONFIRM, WITHDRAW, privacyIn('de')],
      'the two links, each once, confirm first; the privacy notice last',
    );
    assert.match(
      mail.text,
      new RegExp(`^Datenschutzhinweise\n${literally(privacyIn('de').replace('&amp;', '&'))}$`, 'm'),
      'the notice, in German',
    );
    assert.equal(count(mail.html, CONFIRM), 1, 'the HTML part shows a button, not the raw link');
    assert.match(mail.html, new RegExp(`<a href="${literally(CONFIRM)}" style="[^"]*">Meine Unterschrift bestätigen</a>`));
    assert.match(mail.html, new RegExp(`<a href="${literally(WITHDRAW)}" style="[^"]*">Meine Unterschrift zurückziehen</a>`));
    // The details, label and value, as the text part has them.
    assert.match(mail.text, /^ {2}Vor- und Nachname: “Maria Ivanova”$/m);
    assert.match(mail.html, /<th scope="row" style="[^"]*">Vor- und Nachname<\/th><td style="[^"]*">“Maria Ivanova”<\/td>/);
  });

  it('thanks a counted signer with the withdraw link only', () => {
    const mail = write({ tokens: { withdraw: TOKENS.withdraw } });
    assert.deepEqual(hrefsIn(mail.html), [WITHDRAW, privacyIn('en')]);
    assert.ok(mail.html.includes('Your signature is counted.'));
    assert.ok(!mail.html.includes('/confirm'));
  });

  it('escapes what a stranger typed in the HTML part, breaks its addresses and links none of it', () => {
    const mail = write({
      details: {
        signerType: 'representative',
        name: 'Hello <b>x</b> https://evil.example/login',
        organisation: '"><a href="https://evil.example">Log in</a>',
        role: "Mail admin@evil.example or www.evil.example/help, it's urgent",
      },
    });
    assert.ok(!mail.html.includes('<b>'));
    assert.ok(!mail.html.includes('evil.example'), 'every address broken, as in the text part');
    assert.deepEqual(hrefsIn(mail.html), [CONFIRM, WITHDRAW, privacyIn('en')], 'no link but ours');
    assert.ok(mail.html.includes('>“Hello &lt;b&gt;x&lt;/b&gt; https[:]//evil[.]example/login”</td>'), mail.html);
    assert.ok(mail.html.includes('>“&quot;&gt;&lt;a href=&quot;https[:]//evil[.]example&quot;&gt;Log in&lt;/a&gt;”</td>'));
    assert.ok(mail.html.includes('>“Mail admin[@]evil[.]example or www[.]evil[.]example/help, it&#39;s urgent”</td>'));
    assert.match(mail.text, /^ {2}Full name: “Hello <b>x<\/b> https\[:\]\/\/evil\[\.\]example\/login”$/m, 'plain text is not HTML');
  });

  it('loads nothing, styles inline only, and gives its button colours of its own for light and dark', () => {
    const { html } = write({ organiser: { name: 'The Alliance', url: 'https://alliance.example.eu/contact' } });
    for (const banned of ['<img', '<link', '<style', '<script', 'src=', 'class=', '@import', 'url(', '<svg']) {
      assert.ok(!html.includes(banned), banned);
    }
    const urls = new Set(html.match(/https?:\/\/[^\s"'<>]+/g));
    assert.deepEqual(
      urls,
      new Set([CONFIRM, WITHDRAW, 'https://alliance.example.eu/contact', privacyIn('en')]),
      "only our links and the organiser's",
    );
    assert.match(html, /<meta name="color-scheme" content="light dark">/);
    assert.match(html, /<meta name="supported-color-schemes" content="light dark">/);
    const button = new RegExp(`<a href="${literally(CONFIRM)}" style="([^"]*)"`).exec(html)![1]!;
    assert.match(button, /background-color:#1a56db;/);
    assert.match(button, /(^|;)color:#ffffff;/);
    assert.doesNotMatch(html.replace(button, ''), /(^|[;"])(background(-color)?|color):/, 'no other colours for a dark mode to fight');
  });

  it('names the organiser and their contact when campaign.json does, in both parts', () => {
    const mail = write({ lang: 'fr', organiser: { name: 'L’Alliance & co', email: 'equipe@alliance.example.eu' } });
    assert.match(
      mail.text,
      /\n\nOrganisé par L’Alliance & co\nDes questions\u00a0\? Contactez les organisateurs\u00a0: equipe@alliance\.example\.eu\n\nAvis de confidentialité\nhttps:\/\/sign\.example\.eu\/privacy\?lang=fr&campaign=cohesion-alliance\n\n#CohesionAlliance\n$/,
    );
    assert.match(mail.html, /<\/h1>\n<p style="[^"]*">Organisé par L’Alliance &amp; co<\/p>/);
    assert.ok(
      mail.html.includes(
        'Des questions\u00a0? Contactez les organisateurs\u00a0: <a href="mailto:equipe@alliance.example.eu" style="text-decoration:underline;">equipe@alliance.example.eu</a></p>',
      ),
    );

    const without = write({ lang: 'fr' });
    assert.ok(!without.text.includes('Organisé par') && !without.html.includes('Organisé par'));
    assert.ok(!without.html.includes('mailto:'));
  });
});
