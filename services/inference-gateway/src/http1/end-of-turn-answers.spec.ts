import { EndOfTurnAnswers, ReadyAnswer } from './end-of-turn-answers';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('EndOfTurnAnswers', () => {
  it('writes the answers made in a turn together after it, in the order they were made', async () => {
    const answers = new EndOfTurnAnswers();
    const written: string[] = [];
    const connection = (name: string): ReadyAnswer => ({ writeAnswer: () => written.push(name) });
    answers.add(connection('a'));
    answers.add(connection('b'));
    await Promise.resolve();
    expect(written).toEqual([]);
    answers.add(connection('c'));
    await turn();
    expect(written).toEqual(['a', 'b', 'c']);
  });

  it('leaves an answer made while writing (a pipelined request) to the next turn, and writes it then', async () => {
    const answers = new EndOfTurnAnswers();
    const written: string[] = [];
    const second: ReadyAnswer = { writeAnswer: () => written.push('second') };
    answers.add({
      writeAnswer: () => {
        written.push('first');
        answers.add(second);
      },
    });
    await turn();
    expect(written).toEqual(['first']);
    await turn();
    expect(written).toEqual(['first', 'second']);
    await turn();
    expect(written).toEqual(['first', 'second']);
  });
});
