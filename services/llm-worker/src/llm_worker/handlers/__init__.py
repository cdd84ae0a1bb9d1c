"""One handler module per message, named after it; the worker runs each on its own queue.

run_job         RunJob        on llm-worker.jobs       summary then checklist, reported in batches
train_style     TrainStyle    on llm-worker.training   a style model from the artist's images
generate_image  GenerateImage on llm-worker.inference  a signed image in a trained style
"""
