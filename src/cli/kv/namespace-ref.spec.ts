import { CliError } from './cli-error';
import { splitNamespaceRef } from './namespace-ref';

describe('splitNamespaceRef', () => {
  it('splits at the last colon: application ids may hold one, names may not', () => {
    expect(splitNamespaceRef('payments:checkout')).toEqual({
      applicationId: 'payments',
      name: 'checkout',
    });
    expect(splitNamespaceRef('org:payments:checkout')).toEqual({
      applicationId: 'org:payments',
      name: 'checkout',
    });
  });

  it.each(['checkout', ':checkout', 'payments:'])('refuses %j', (ref) => {
    expect(() => splitNamespaceRef(ref)).toThrow(CliError);
  });
});
