/** The ICE stacks by name; libdatachannel is loaded only when asked for (a native module). */
import type { IceStack, IceStackName } from './ice-stack.ts';
import { createWeriftStack } from './werift-stack.ts';

export async function createIceStack(name: IceStackName): Promise<IceStack> {
  if (name === 'werift') return createWeriftStack();
  const { createLibdatachannelStack } = await import('./libdatachannel-stack.ts');
  return createLibdatachannelStack();
}
