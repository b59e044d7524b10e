/** The status of a successful write of an entry: 201 when it created it, 200 when it replaced it. */
export function writeStatus(created: boolean): 200 | 201 {
  return created ? 201 : 200;
}
