/**
 * The key under which one signature per person per campaign is kept, and under which signing is
 * rate-limited per address. Only the server needs it: the widget never keys anything by email.
 */
export const emailKey = (address: string) => address.normalize('NFC').trim().toLowerCase();
