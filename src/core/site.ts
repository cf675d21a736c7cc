/** A site's name: the owner recorded on the hosts it applies, a label on every report series. */
export const SITE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
export const SITE_NAME_RULE = 'letters, digits, _ . - (starting with a letter or digit), at most 63 characters';
