// A thenable that resolves from a timer: the await resumes only after that timer fires.
const slow = {
  then(resolve, reject) {
    console.log('then called');
    setTimeout(() => resolve('late value'), 0);
  },
};
async function main() {
  console.log('main start');
  const v = await slow;
  console.log('main got', v);
}
main();
setTimeout(() => console.log('timer from main script'), 0);
console.log('sync end');
