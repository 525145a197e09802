/**
 * The signing form's state and behaviour: what the visitor entered, which errors to show and when
 * (once a field was touched and changed, or after a submit; never while still typing), and the
 * submit: busy while it sends, then the thanks or what went wrong. Checking the fields, and
 * building and posting the signature, is signature-sender.ts, loaded once the visitor starts on
 * the form; signing-form.render.ts draws the form.
 */
import type { ReactiveElement } from 'lit';
import { SignError, type ApiClient, type SignResult, type SignStatus } from '../api-client.js';
import { adoptStyles } from '../adopt-styles.js';
import type { CampaignLoader } from './campaign-loader.js';
import type { FieldErrors, OrganisationKind, SignerType } from '../../contract/signature-codes.js';
import type { SignatureField } from '../../contract/signature.js';

type OutcomeModule = typeof import('./signing-outcome.js');
type SenderModule = typeof import('./signature-sender.js');

let formModules: Promise<[OutcomeModule, SenderModule]> | undefined;
/**
 * What signing needs beyond the first paint: the thank-you and failure states, and checking
 * (the shared schema, zod inside) and sending with the proof of work. Chunks of their own,
 * fetched once the visitor starts on the form: a reader never pays for them.
 */
const loadFormModules = () => (formModules ??= Promise.all([import('./signing-outcome.js'), import('./signature-sender.js')]));

export type FormValues = {
  signerType: SignerType;
  name: string;
  organisation: string;
  organisationKind: OrganisationKind | '';
  role: string;
  country: string;
  email: string;
  consent: boolean;
  newsletter: boolean;
  listPublicly: boolean;
  website: string;
};

const EMPTY_FORM: FormValues = {
  signerType: 'individual',
  name: '',
  organisation: '',
  organisationKind: '',
  role: '',
  country: '',
  email: '',
  consent: false,
  newsletter: false,
  listPublicly: false,
  website: '',
};

/** The fields each signer type shows, in order: the type's own after the name. */
const fields = (...own: SignatureField[]): SignatureField[] => ['signerType', 'name', ...own, 'country', 'email', 'consent'];
export const FIELDS_FOR: Record<SignerType, SignatureField[]> = {
  individual: fields(),
  organisation: fields('organisation', 'organisationKind'),
  representative: fields('role', 'organisation'),
};

/**
 * Holds no lifecycle of its own, so it is not added to the host as a controller: it only asks the
 * host to render again when its state changes. What the visitor enters is kept here from the first
 * keystroke; which errors show and the submit itself are signature-sender.ts's (`errorsOf`,
 * `submit`), loaded with the form's other chunks on its first focus.
 */
export class SigningForm {
  values: FormValues = { ...EMPTY_FORM };
  /** A submit was tried: every error shows. */
  submitted = false;
  sending = false;
  failure?: SignError;
  signed?: SignStatus;
  /** The share step's link was copied. */
  copied = false;
  /** The thank-you and failure states, once loaded; until then no error has words. */
  outcome?: OutcomeModule;
  /** @internal Fields the visitor left, and fields they changed: an error shows once both. */
  touched = new Set<string>();
  /** @internal */
  dirty = new Set<string>();
  /** @internal What the server said of fields, until the visitor changes them. */
  serverErrors: FieldErrors = {};
  /** @internal Checking and sending, once loaded; until then no field shows an error. */
  sender?: SenderModule;
  /** @internal */
  signatureSender?: InstanceType<SenderModule['SignatureSender']>;

  constructor(
    /** The element, whose `partner` is sent with the signature when it is well-formed. */
    readonly host: ReactiveElement & { partner?: string },
    /** The API to sign through. */
    readonly client: () => ApiClient,
    /** The campaign whose consent text the form shows, and which loads it again should it change. */
    readonly campaign: CampaignLoader,
    readonly onSigned: (result: SignResult) => void,
    readonly onFailed: (failure: SignError) => void,
  ) {}

  /** Errors the visitor should see now: after a field was touched and changed, or after submit. */
  errors(): FieldErrors {
    return this.sender?.errorsOf(this) ?? {};
  }

  /** On the form's first focus, and before a submit is checked. */
  readonly loadModules = async () => {
    const [outcome, sender] = await loadFormModules();
    this.sender = sender;
    if (this.outcome !== outcome) {
      this.outcome = outcome;
      this.host.requestUpdate();
    }
    adoptStyles(this.host.renderRoot as ShadowRoot, outcome.styles);
    // The proof of work starts now and runs while the visitor fills in the form.
    this.signatureSender ??= new sender.SignatureSender(this.client().challengeUrl());
  };

  readonly onInput = (event: Event) => {
    const input = event.target as HTMLInputElement | HTMLSelectElement;
    const field = input.name as keyof FormValues;
    const value = input instanceof HTMLInputElement && input.type === 'checkbox' ? input.checked : input.value;
    this.values = { ...this.values, [field]: value };
    this.dirty = new Set(this.dirty).add(field);
    if (this.serverErrors[field]) {
      const { [field]: _fixed, ...rest } = this.serverErrors;
      this.serverErrors = rest;
    }
    this.host.requestUpdate();
    // A checkbox or a select is done the moment it changes.
    if (input.type === 'checkbox' || input.type === 'radio' || input instanceof HTMLSelectElement) this.markTouched(field);
  };

  readonly onFocusOut = (event: FocusEvent) => {
    const name = (event.target as HTMLInputElement).name;
    if (name) this.markTouched(name);
  };

  private markTouched(field: string) {
    if (this.touched.has(field)) return;
    this.touched = new Set(this.touched).add(field);
    this.host.requestUpdate();
  }

  readonly onCopied = () => {
    this.copied = true;
    this.host.requestUpdate();
  };

  readonly onSubmit = async (event: Event) => {
    event.preventDefault();
    // Busy from the first click, so that a double click sends once.
    if (this.sending) return;
    this.sending = true;
    this.host.requestUpdate();
    await this.loadModules().then(
      () => this.sender!.submit(this),
      () => {
        this.sending = false;
        this.failure = new SignError('network');
        this.host.requestUpdate();
        this.onFailed(this.failure);
      },
    );
  };
}
