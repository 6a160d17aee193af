import { dailyPriceEur, type AdMessage } from '@ad-race/contracts';
import { formatMs } from './photo-finish';

/** A new element, with its text and class if given. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

const euros = (amount: number) => `€${amount.toFixed(2)}`;

/**
 * The ad card: the offer, its price, why it was chosen, and who served it how
 * fast. An ad a version served is a link to its offer: following it calls
 * `onClick` (the page tells the server, which counts the click for that version).
 */
export function renderAd(container: HTMLElement, message: AdMessage, onClick: (message: AdMessage) => void): void {
  const { ad, servedBy } = message;
  const { offer } = ad;
  // The house ad: no ad service answered by the deadline ("fallback"), or the web server did not ask, too busy ("shed").
  const house = servedBy.version === 'fallback' || servedBy.version === 'shed';
  const card = house ? el('article', undefined, 'ad house') : el('a', undefined, 'ad');
  if (card instanceof HTMLAnchorElement) {
    card.href = `#offer-${encodeURIComponent(offer.id)}`;
    // This demo has no offer pages: the click is counted, and the customer stays on the page.
    card.addEventListener('click', (event) => {
      event.preventDefault();
      onClick(message);
    });
  }
  card.dataset['needId'] = message.needId;
  card.dataset['page'] = message.page;
  card.dataset['version'] = servedBy.version;

  card.append(el('h3', ad.headline));
  const price = el('p', undefined, 'price');
  price.append(`${euros(dailyPriceEur(offer))} a day`);
  if (offer.discountPercent > 0) {
    const was = el('s', euros(offer.dailyRateEur));
    was.setAttribute('aria-label', `was ${euros(offer.dailyRateEur)}, ${offer.discountPercent}% off`);
    price.append(was);
  }
  card.append(price);

  const details = el('dl');
  for (const [term, value] of [
    ['Class', offer.carClass],
    ['Seats', String(offer.seats)],
    ['Gearbox', offer.transmission],
    ['Pick up at', offer.location],
  ] as const) {
    details.append(el('dt', term), el('dd', value));
  }
  card.append(details);
  card.append(el('p', ad.reason, 'why'));
  card.append(
    el(
      'p',
      servedBy.version === 'shed'
        ? 'House ad: the ad services are busy, so the web server did not ask them.'
        : house
          ? `House ad: no ad service answered within the deadline (${formatMs(message.latencyMs)}).`
          : `Served by ads ${servedBy.version} (${servedBy.instance}) in ${formatMs(message.latencyMs)}.`,
      'served-by',
    ),
  );
  container.replaceChildren(card);
}
