/**
 * The campaign the element shows (title, introduction, declaration, goal, count), loaded from the
 * API in the element's language. A newer load replaces one still under way; leaving the page
 * abandons it.
 */
import type { ReactiveController, ReactiveElement } from 'lit';
import type { ApiClient, Campaign } from '../api-client.js';
import { resolveLocale } from '../localization.js';

export class CampaignLoader implements ReactiveController {
  /** The campaign, once loaded. */
  campaign?: Campaign;
  /** The last load failed. */
  failed = false;
  private loading?: AbortController;

  constructor(
    private readonly host: ReactiveElement,
    private readonly client: () => ApiClient,
    private readonly onLoaded: (campaign: Campaign) => void,
    private readonly onFailed: () => void,
  ) {
    host.addController(this);
  }

  hostDisconnected() {
    this.loading?.abort();
  }

  async load() {
    this.loading?.abort();
    const loading = (this.loading = new AbortController());
    try {
      const campaign = await this.client().campaignInfo(resolveLocale(this.host), loading.signal);
      if (loading.signal.aborted) return;
      this.campaign = campaign;
      this.failed = false;
      this.host.requestUpdate();
      this.onLoaded(campaign);
    } catch {
      if (loading.signal.aborted) return;
      this.failed = true;
      this.host.requestUpdate();
      this.onFailed();
    }
  }
}
