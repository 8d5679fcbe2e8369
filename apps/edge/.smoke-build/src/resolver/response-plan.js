export function emptyPlan(id, opcode, rcode, question) {
    const plan = { id, opcode, aa: false, rd: false, cd: false, rcode, answer: [], authority: [], additional: [] };
    if (question)
        plan.question = question;
    return plan;
}
//# sourceMappingURL=response-plan.js.map