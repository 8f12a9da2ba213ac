/** The simulated WeChat user of the gallery (no other spec logs in as it). */
export const GALLERY_USER = 'gallery';
