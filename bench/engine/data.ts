import { randomBytes } from 'node:crypto';

/**
 * Deterministic "office-like" text that zstd level 1 compresses to about a third (words from a small vocabulary,
 * figures, line structure), and incompressible bytes (media, already-compressed archives).
 */
export function officeLikeData(bytes: number, seed = 1): Buffer {
  const words = (
    'facture client montant total TVA échéance règlement contrat prestation maintenance serveur sauvegarde ' +
    'infogérance intervention technicien rapport mensuel incident résolu délai garantie pénalité annexe ' +
    'société adresse rue avenue Paris Lyon Strasbourg date référence commande livraison quantité prix unitaire'
  ).split(' ');
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  const parts: string[] = [];
  let length = 0;
  while (length < bytes) {
    const line: string[] = [];
    const count = 4 + (next() % 12);
    for (let index = 0; index < count; index++) {
      const roll = next() % 10;
      line.push(roll < 7 ? words[next() % words.length]! : roll < 9 ? String(next() % 100000) : `${next() % 28 + 1}/${next() % 12 + 1}/2026`);
    }
    const text = `${line.join(' ')}\n`;
    parts.push(text);
    length += Buffer.byteLength(text);
  }
  return Buffer.from(parts.join('')).subarray(0, bytes);
}

export function incompressibleData(bytes: number): Buffer {
  return randomBytes(bytes);
}
