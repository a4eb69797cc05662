// Calling an async function runs its body synchronously up to the first await.
async function job(name) {
  console.log(name, 'runs at the call');
  await null;
  console.log(name, 'resumes later');
  return name;
}
console.log('before calls');
const a = job('A');
console.log('between calls');
job('B');
console.log('after calls');
a.then((v) => console.log('result of', v));
